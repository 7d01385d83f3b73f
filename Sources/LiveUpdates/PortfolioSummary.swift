import BigInt
import Foundation
public import PortfolioCore
public import Storage

/// Totals per chain and asset over every wallet, summed exactly, with their value: each
/// asset's total valued once, the portfolio's total the exact sum of those values.
public enum PortfolioSummary {
  /// `totals`: one entry per chain and asset; `value`: the money summary (see
  /// `Valuation.Summary.json`).
  public static func totals(_ assets: [AssetTotal], prices: [AssetKey: StoredPrice]) -> (
    totals: JSONValue, value: JSONValue
  ) {
    var summary = Valuation.Summary()
    let totals = assets.map { total -> JSONValue in
      let price = prices[total.asset]
      let usd = summary.add(total, price: price)
      var object: [String: JSONValue] = [
        "chain": .string(total.asset.chain.rawValue), "asset": .string(total.symbol),
        "token": total.asset.token.map(JSONValue.string) ?? .null,
        "decimals": .integer(Int64(total.decimals)), "raw": .string(String(total.raw)),
        "amount": .string(TokenAmount.format(raw: total.raw, decimals: total.decimals)),
        "wallets": .integer(Int64(total.wallets)), "oldest_update": .string(total.oldestUpdate.iso8601),
        "usd": usd.map { .string($0.text) } ?? .null,
      ]
      Valuation.priceFields(price, into: &object)
      return .object(object)
    }
    return (.array(totals), summary.json)
  }

  /// A portfolio `value` frame's data: `{totals, value}`.
  public static func valueData(_ assets: [AssetTotal], prices: [AssetKey: StoredPrice]) -> [String: JSONValue] {
    let summary = totals(assets, prices: prices)
    return ["totals": summary.totals, "value": summary.value]
  }

  /// The same from balances already in memory (a snapshot's).
  public static func totals(
    _ balances: [(chain: ChainName, balance: StoredBalance)], prices: [AssetKey: StoredPrice]
  ) -> (totals: JSONValue, value: JSONValue) {
    totals(AssetTotal.sum(balances), prices: prices)
  }
}
