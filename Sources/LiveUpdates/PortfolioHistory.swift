import BigInt
public import Foundation
public import PortfolioCore
public import Storage

/// Per-asset totals over time, rebuilt from the change log: the balance at the end of each
/// bucket, carried forward through buckets where nothing moved.
public enum PortfolioHistory {
  public enum Interval: String, Sendable, CaseIterable {
    case hour
    case day

    var seconds: TimeInterval { self == .hour ? 3600 : 86400 }
  }

  /// At most this many buckets in one answer.
  public static let maxBuckets = 10_000

  public static func series(moves: [AssetMove], from: Date, to: Date, interval: Interval) -> JSONValue {
    struct Asset: Hashable {
      let chain: String
      let token: String?
    }
    // Bucket starts aligned to the interval in UTC, so series from different calls line up.
    let step = interval.seconds
    let first = (from.timeIntervalSince1970 / step).rounded(.down) * step
    let count = min(Self.maxBuckets, Int(((to.timeIntervalSince1970 - first) / step).rounded(.down)) + 1)
    var sums: [Asset: BigUInt] = [:]
    var meta: [Asset: (symbol: String, decimals: UInt8)] = [:]
    var points: [Asset: [JSONValue]] = [:]
    var order: [Asset] = []
    // An asset's point repeats until its sum moves: the texts are made once per move.
    var texts: [Asset: (raw: JSONValue, amount: JSONValue)] = [:]
    var index = 0
    let toMilliseconds = to.millisecondsSince1970
    for bucket in 0..<max(count, 0) {
      let start = first + Double(bucket) * step
      let end = min(Int64((start + step) * 1000), toMilliseconds + 1)
      var moved: Set<Asset> = []
      while index < moves.count, moves[index].at < end {
        let move = moves[index]
        let asset = Asset(chain: move.chain, token: move.token)
        if meta[asset] == nil { order.append(asset) }
        meta[asset] = (move.symbol, move.decimals)
        let old = UInt256Text.parse(move.rawOld) ?? 0
        let new = UInt256Text.parse(move.rawNew) ?? 0
        let current = sums[asset, default: 0]
        sums[asset] = current + new >= old ? current + new - old : 0
        moved.insert(asset)
        index += 1
      }
      for asset in moved {
        let raw = sums[asset] ?? 0
        let decimals = meta[asset]?.decimals ?? 0
        texts[asset] = (.string(String(raw)), .string(TokenAmount.format(raw: raw, decimals: decimals)))
      }
      let time = JSONValue.string(Date(timeIntervalSince1970: start).iso8601)
      for asset in order {
        let text = texts[asset] ?? ("0", "0")
        points[asset, default: []].append(["t": time, "raw": text.raw, "amount": text.amount, "usd": .null])
      }
    }
    let series = order.map { asset -> JSONValue in
      // An asset first seen mid-range was zero before: pad its series to full length.
      var list = points[asset] ?? []
      let missing = max(count, 0) - list.count
      if missing > 0 {
        let zeros = (0..<missing).map { bucket -> JSONValue in
          [
            "t": .string(Date(timeIntervalSince1970: first + Double(bucket) * step).iso8601), "raw": "0",
            "amount": "0", "usd": .null,
          ]
        }
        list = zeros + list
      }
      return [
        "chain": .string(asset.chain), "asset": .string(meta[asset]?.symbol ?? "?"),
        "token": asset.token.map(JSONValue.string) ?? .null,
        "decimals": .integer(Int64(meta[asset]?.decimals ?? 0)), "points": .array(list),
      ]
    }
    return [
      "interval": .string(interval.rawValue), "from": .string(Date(timeIntervalSince1970: first).iso8601),
      "to": .string(to.iso8601), "series": .array(series),
    ]
  }
}
