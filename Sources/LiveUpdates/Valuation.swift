import BigInt
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
  /// Each asset is added once, with its total in the scope shown (a wallet's balance, or the
  /// portfolio's sum over wallets), and valued once.
  public struct Summary: Sendable {
    public var usd = USDAmount.zero
    public var byChain: [ChainName: USDAmount] = [:]
    public var pricedAssets = Set<AssetKey>()
    /// Held (non-zero) assets without a price, with what is held of them.
    public var unpriced: [AssetKey: AssetTotal] = [:]

    public init() {}

    /// Adds an asset's total; returns its value (nil without a price).
    @discardableResult
    public mutating func add(_ total: AssetTotal, price: StoredPrice?) -> USDAmount? {
      guard let price else {
        if total.raw > 0 { unpriced[total.asset] = total }
        return nil
      }
      let value = total.raw == 0 ? .zero : USDAmount(raw: total.raw, decimals: total.decimals, price: price.price)
      usd += value
      byChain[total.asset.chain, default: .zero] += value
      pricedAssets.insert(total.asset)
      return value
    }

    /// The total in USD: null when something is held and nothing of it is priced, since
    /// "0.00" would read as worthless.
    public var usdJSON: JSONValue {
      pricedAssets.isEmpty && !unpriced.isEmpty ? .null : .string(usd.text)
    }

    /// `{usd, by_chain, priced_assets, unpriced_assets, unpriced: [{chain, asset, token, amount}]}`
    public var json: JSONValue {
      [
        "usd": usdJSON,
        "by_chain": .object(
          Dictionary(uniqueKeysWithValues: byChain.map { ($0.key.rawValue, JSONValue.string($0.value.text)) })),
        "priced_assets": .integer(Int64(pricedAssets.count)),
        "unpriced_assets": .integer(Int64(unpriced.count)),
        "unpriced": .array(
          unpriced.keys.sorted().compactMap { asset in
            guard let held = unpriced[asset] else { return nil }
            return [
              "chain": .string(asset.chain.rawValue), "asset": .string(held.symbol),
              "token": asset.token.map(JSONValue.string) ?? .null,
              "amount": .string(TokenAmount.format(raw: held.raw, decimals: held.decimals)),
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
    for total in AssetTotal.sum(balances.map { (chain, $0) }) {
      summary.add(total, price: prices[total.asset])
    }
    return [
      "balances": .array(balances.map { Representation.balance($0, chain: chain, prices: prices) }),
      "usd": summary.usdJSON, "unpriced_assets": .integer(Int64(summary.unpriced.count)),
    ]
  }

  /// One price as value frames list it.
  public static func priceMove(_ move: PriceMove) -> JSONValue {
    var object: [String: JSONValue] = [
      "chain": .string(move.asset.chain.rawValue), "token": move.asset.token.map(JSONValue.string) ?? .null,
      "old_price": move.old.map { .string($0.text) } ?? .null,
    ]
    priceFields(move.new, into: &object)
    return .object(object)
  }
}
