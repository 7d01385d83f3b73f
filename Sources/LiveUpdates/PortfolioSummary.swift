import BigInt
import Foundation
public import PortfolioCore
public import Storage

/// Totals per chain and asset over every wallet, summed exactly.
public enum PortfolioSummary {
  public static func totals(_ balances: [(chain: ChainName, balance: StoredBalance)]) -> JSONValue {
    struct Key: Hashable {
      let chain: ChainName
      let token: String?
    }
    var sums: [Key: (symbol: String, decimals: UInt8, raw: BigUInt, wallets: Int, updated: Date)] = [:]
    var order: [Key] = []
    for (chain, balance) in balances {
      let key = Key(chain: chain, token: balance.token)
      let raw = balance.raw.value
      if var entry = sums[key] {
        entry.raw += raw
        entry.wallets += raw > 0 ? 1 : 0
        entry.updated = min(entry.updated, balance.updatedAt)
        sums[key] = entry
      } else {
        sums[key] = (balance.symbol, balance.decimals, raw, raw > 0 ? 1 : 0, balance.updatedAt)
        order.append(key)
      }
    }
    return .array(
      order.sorted { ($0.chain, $0.token ?? "") < ($1.chain, $1.token ?? "") }.compactMap { key in
        guard let entry = sums[key] else { return nil }
        return [
          "chain": .string(key.chain.rawValue), "asset": .string(entry.symbol),
          "token": key.token.map(JSONValue.string) ?? .null,
          "decimals": .integer(Int64(entry.decimals)), "raw": .string(String(entry.raw)),
          "amount": .string(TokenAmount.format(raw: entry.raw, decimals: entry.decimals)),
          "wallets": .integer(Int64(entry.wallets)), "oldest_update": .string(entry.updated.iso8601),
          "usd": .null,
        ]
      })
  }
}
