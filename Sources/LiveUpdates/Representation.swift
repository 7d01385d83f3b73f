import Foundation
public import PortfolioCore
public import Storage

/// How wallets, balances and changes look in JSON: in stream frames, and in the REST answers
/// that show the same things. Shapes only REST answers have live in the API module.
public enum Representation {
  public static func wallet(_ wallet: Wallet) -> JSONValue {
    [
      "id": .string(wallet.id.uuidString.lowercased()), "chain": .string(wallet.chain.rawValue),
      "address": .string(wallet.address), "label": wallet.label.map(JSONValue.string) ?? .null,
      "created_at": .string(wallet.createdAt.iso8601), "updated_at": .string(wallet.updatedAt.iso8601),
    ]
  }

  /// A balance with its value: `usd`, `price`, `price_source`, `price_at` (null when unpriced).
  public static func balance(_ balance: StoredBalance, chain: ChainName, prices: [AssetKey: StoredPrice])
    -> JSONValue
  {
    let price = prices[AssetKey(chain: chain, token: balance.token)]
    var object: [String: JSONValue] = [
      "asset": .string(balance.symbol), "token": balance.token.map(JSONValue.string) ?? .null,
      "decimals": .integer(Int64(balance.decimals)), "raw": .string(balance.raw.text),
      "amount": .string(balance.raw.formatted(decimals: balance.decimals)),
      "block": balance.block.map(JSONValue.unsigned) ?? .null,
      "updated_at": .string(balance.updatedAt.iso8601),
      "usd": Valuation.usd(balance.raw, decimals: balance.decimals, price: price).map { .string($0.text) }
        ?? .null,
    ]
    Valuation.priceFields(price, into: &object)
    return .object(object)
  }

  /// One change as the stream and the history endpoint show it, valued at `price`, the
  /// asset's price when the change happened: `usd` is the new balance's value, `usd_delta`
  /// the change's own (both null without a price).
  public static func change(_ change: BalanceChange, price: StoredPrice?) -> JSONValue {
    let new = Valuation.usd(change.rawNew, decimals: change.decimals, price: price)
    let old = Valuation.usd(change.rawOld, decimals: change.decimals, price: price)
    var object: [String: JSONValue] = [
      "seq": .integer(change.seq), "wallet": .string(change.walletID.uuidString.lowercased()),
      "chain": .string(change.chain.rawValue), "asset": .string(change.symbol),
      "token": change.token.map(JSONValue.string) ?? .null, "decimals": .integer(Int64(change.decimals)),
      "old": .string(change.rawOld.formatted(decimals: change.decimals)),
      "new": .string(change.rawNew.formatted(decimals: change.decimals)),
      "raw_old": .string(change.rawOld.text), "raw_new": .string(change.rawNew.text),
      "usd": new.map { .string($0.text) } ?? .null,
      "usd_delta": new.flatMap { new in old.map { .string((new - $0).text) } } ?? .null,
      "block": change.block.map(JSONValue.unsigned) ?? .null, "at": .string(change.at.iso8601),
    ]
    Valuation.priceFields(price, into: &object)
    return .object(object)
  }

  /// `change` with its price from `prices`, by `seq`.
  public static func change(_ change: BalanceChange, prices: [Int64: StoredPrice]) -> JSONValue {
    Self.change(change, price: prices[change.seq])
  }
}

extension Representation {
  /// A fired alert as webhooks carry it (`alert.triggered`) and `/api/v1/alert-events` lists it.
  public static func firedAlert(_ alert: FiredAlert) -> JSONValue {
    [
      "seq": .integer(alert.seq), "rule_id": .string(alert.ruleID.uuidString.lowercased()),
      "title": .string(alert.title), "message": .string(alert.message), "details": alert.data,
      "at": .string(alert.at.iso8601),
    ]
  }
}
