import BigInt
import Foundation
public import PortfolioCore
public import Storage

/// Totals per chain and asset over every wallet, summed exactly, with their value.
public enum PortfolioSummary {
  /// `totals`: one entry per chain and asset; `value`: the money summary (see
  /// `Valuation.Summary.json`).
  public static func totals(
    _ balances: [(chain: ChainName, balance: StoredBalance)], prices: [AssetKey: StoredPrice]
  ) -> (totals: JSONValue, value: JSONValue) {
    var sums:
      [AssetKey: (symbol: String, decimals: UInt8, raw: BigUInt, wallets: Int, updated: Date, usd: USDAmount)] =
        [:]
    var summary = Valuation.Summary()
    for (chain, balance) in balances {
      let key = AssetKey(chain: chain, token: balance.token)
      summary.add(chain: chain, balance, price: prices[key])
      let raw = balance.raw.value
      // The sum of the wallets' rounded values, so the parts add up to the total shown.
      let usd = Valuation.usd(balance.raw, decimals: balance.decimals, price: prices[key]) ?? .zero
      if var entry = sums[key] {
        entry.raw += raw
        entry.wallets += raw > 0 ? 1 : 0
        entry.updated = min(entry.updated, balance.updatedAt)
        entry.usd += usd
        sums[key] = entry
      } else {
        sums[key] = (balance.symbol, balance.decimals, raw, raw > 0 ? 1 : 0, balance.updatedAt, usd)
      }
    }
    let totals = JSONValue.array(
      sums.keys.sorted { ($0.chain, $0.token ?? "") < ($1.chain, $1.token ?? "") }.compactMap { key in
        guard let entry = sums[key] else { return nil }
        var object: [String: JSONValue] = [
          "chain": .string(key.chain.rawValue), "asset": .string(entry.symbol),
          "token": key.token.map(JSONValue.string) ?? .null,
          "decimals": .integer(Int64(entry.decimals)), "raw": .string(String(entry.raw)),
          "amount": .string(TokenAmount.format(raw: entry.raw, decimals: entry.decimals)),
          "wallets": .integer(Int64(entry.wallets)), "oldest_update": .string(entry.updated.iso8601),
          "usd": prices[key] == nil ? .null : .string(entry.usd.text),
        ]
        Valuation.priceFields(prices[key], into: &object)
        return .object(object)
      })
    return (totals, summary.json)
  }
}
