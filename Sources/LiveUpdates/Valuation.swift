public import Foundation
public import PortfolioCore
public import Storage

/// What balances are worth in USD at the prices given: each balance rounded once to the
/// micro-dollar, every total the exact sum of the values it shows. An asset without a price
/// is worth `null`, never 0, and is counted as unpriced.
public enum Valuation {
  /// The value of an amount at a price; nil without a price.
  public static func usd(_ raw: BaseUnits, decimals: UInt8, price: StoredPrice?) -> USDAmount? {
    guard let price else { return nil }
    return raw.isZero ? .zero : USDAmount(raw: raw.value, decimals: decimals, price: price.price)
  }

  /// `price`, `price_source` and `price_at` of an entry: all null without a price.
  public static func priceFields(_ price: StoredPrice?, into object: inout [String: JSONValue]) {
    object["price"] = price.map { .string($0.price.text) } ?? .null
    object["price_source"] = price.map { .string($0.source.rawValue) } ?? .null
    object["price_at"] = price.map { .string($0.sourceAt.iso8601) } ?? .null
  }

  /// The money part of a set of holdings: the priced total, per chain, and what is unpriced.
  public struct Summary: Sendable {
    public var usd = USDAmount.zero
    public var byChain: [ChainName: USDAmount] = [:]
    public var pricedAssets = Set<AssetKey>()
    /// Held (non-zero) assets without a price, with what is held of them.
    public var unpriced: [AssetKey: (symbol: String, decimals: UInt8, raw: BaseUnits)] = [:]

    public init() {}

    public mutating func add(chain: ChainName, _ balance: StoredBalance, price: StoredPrice?) {
      let asset = AssetKey(chain: chain, token: balance.token)
      if let value = Valuation.usd(balance.raw, decimals: balance.decimals, price: price) {
        usd += value
        byChain[chain, default: .zero] += value
        pricedAssets.insert(asset)
      } else if !balance.raw.isZero {
        let held = unpriced[asset].map { $0.raw.value + balance.raw.value } ?? balance.raw.value
        unpriced[asset] = (balance.symbol, balance.decimals, BaseUnits(held))
      }
    }

    /// `{usd, by_chain, priced_assets, unpriced_assets, unpriced: [{chain, asset, token, amount}]}`
    public var json: JSONValue {
      [
        "usd": .string(usd.text),
        "by_chain": .object(
          Dictionary(uniqueKeysWithValues: byChain.map { ($0.key.rawValue, JSONValue.string($0.value.text)) })
        ),
        "priced_assets": .integer(Int64(pricedAssets.count)),
        "unpriced_assets": .integer(Int64(unpriced.count)),
        "unpriced": .array(
          unpriced.keys.sorted().compactMap { asset in
            guard let held = unpriced[asset] else { return nil }
            return [
              "chain": .string(asset.chain.rawValue), "asset": .string(held.symbol),
              "token": asset.token.map(JSONValue.string) ?? .null,
              "amount": .string(held.raw.formatted(decimals: held.decimals)),
            ]
          }),
      ]
    }
  }

  /// A wallet's balances valued, with its total: `{balances, usd, unpriced_assets}`.
  public static func wallet(_ balances: [StoredBalance], chain: ChainName, prices: [AssetKey: StoredPrice])
    -> [String: JSONValue]
  {
    var summary = Summary()
    for balance in balances {
      summary.add(chain: chain, balance, price: prices[AssetKey(chain: chain, token: balance.token)])
    }
    return [
      "balances": .array(balances.map { Representation.balance($0, chain: chain, prices: prices) }),
      "usd": .string(summary.usd.text), "unpriced_assets": .integer(Int64(summary.unpriced.count)),
    ]
  }

  /// One price as value frames list it.
  static func priceMove(_ move: PriceMove) -> JSONValue {
    var object: [String: JSONValue] = [
      "chain": .string(move.asset.chain.rawValue), "token": move.asset.token.map(JSONValue.string) ?? .null,
      "old_price": move.old.map { .string($0.text) } ?? .null,
    ]
    priceFields(move.new, into: &object)
    return .object(object)
  }
}
