public import Foundation
import PortfolioCore
public import Storage

/// Per-asset totals over time from the hourly rollup: the total at the end of each bucket,
/// carried forward through buckets where nothing moved. The answer is written straight to
/// bytes: a year of hours is tens of thousands of points.
public enum PortfolioHistory {
  public enum Interval: String, Sendable, CaseIterable {
    case hour
    case day

    var seconds: Int64 { self == .hour ? 3600 : 86400 }
  }

  /// At most this many buckets in one answer.
  public static let maxBuckets = 10_000

  /// Buckets start aligned to the interval in UTC, so series from different calls line up.
  /// Totals are kept per hour: a bucket's value is the close of its last hour, the hour that
  /// holds `to` for the final bucket.
  public struct Buckets: Sendable {
    public let interval: Interval
    /// Start of the first bucket, seconds since 1970.
    public let first: Int64
    public let count: Int
    public let to: Date

    public init(from: Date, to: Date, interval: Interval) {
      let step = interval.seconds
      let fromSeconds = Int64(from.timeIntervalSince1970.rounded(.down))
      let toSeconds = Int64(to.timeIntervalSince1970.rounded(.down))
      first = fromSeconds.dividedRoundingDown(by: step) * step
      count = max(0, min(PortfolioHistory.maxBuckets, Int((toSeconds - first) / step) + 1))
      self.interval = interval
      self.to = to
    }

    /// The hours whose closes the buckets need.
    public var firstHour: Int64 { first.dividedRoundingDown(by: 3600) }
    public var lastHour: Int64 { HourlyTotals.hour(ofMilliseconds: to.millisecondsSince1970) }

    /// The last hour whose close counts for bucket `index`.
    func lastHour(ofBucket index: Int) -> Int64 {
      let end = first + Int64(index + 1) * interval.seconds
      return min(end.dividedRoundingDown(by: 3600) - 1, lastHour)
    }
  }

  /// The JSON answer: `{from, interval, series: [{asset, chain, decimals, points, token}], to}`
  /// with each point `{amount, raw, t, usd}`, keys sorted like every other answer.
  public static func json(closes: [AssetCloses], buckets: Buckets) -> [UInt8] {
    var times: [[UInt8]] = []
    times.reserveCapacity(buckets.count)
    for index in 0..<buckets.count {
      var text: [UInt8] = []
      ISO8601Text.write(
        milliseconds: (buckets.first + Int64(index) * buckets.interval.seconds) * 1000, to: &text)
      times.append(text)
    }
    var output: [UInt8] = []
    output.reserveCapacity(64 + closes.count * buckets.count * 80)
    output.append(contentsOf: #"{"from":"#.utf8)
    JSONValue.string(ISO8601Text.milliseconds(buckets.first * 1000)).write(to: &output)
    output.append(contentsOf: #","interval":"#.utf8)
    JSONValue.string(buckets.interval.rawValue).write(to: &output)
    output.append(contentsOf: #","series":["#.utf8)
    for (index, asset) in closes.enumerated() {
      if index > 0 { output.append(UInt8(ascii: ",")) }
      write(asset, buckets: buckets, times: times, to: &output)
    }
    output.append(contentsOf: #"],"to":"#.utf8)
    JSONValue.string(buckets.to.iso8601).write(to: &output)
    output.append(UInt8(ascii: "}"))
    return output
  }

  private static func write(
    _ asset: AssetCloses, buckets: Buckets, times: [[UInt8]], to output: inout [UInt8]
  ) {
    output.append(contentsOf: #"{"asset":"#.utf8)
    JSONValue.string(asset.symbol).write(to: &output)
    output.append(contentsOf: #","chain":"#.utf8)
    JSONValue.string(asset.chain.rawValue).write(to: &output)
    output.append(contentsOf: #","decimals":\#(asset.decimals),"points":["#.utf8)
    // A point's text before its time changes only when the total does: made once per close.
    var head = pointHead(raw: asset.opening ?? "0", decimals: asset.decimals)
    var next = 0
    for index in 0..<buckets.count {
      let last = buckets.lastHour(ofBucket: index)
      var latest: String?
      while next < asset.closes.count, asset.closes[next].hour <= last {
        latest = asset.closes[next].raw
        next += 1
      }
      if let latest { head = pointHead(raw: latest, decimals: asset.decimals) }
      if index > 0 { output.append(UInt8(ascii: ",")) }
      output.append(contentsOf: head)
      output.append(contentsOf: times[index])
      output.append(contentsOf: #"","usd":null}"#.utf8)
    }
    output.append(contentsOf: #"],"token":"#.utf8)
    if let token = asset.token {
      JSONValue.string(token).write(to: &output)
    } else {
      output.append(contentsOf: "null".utf8)
    }
    output.append(UInt8(ascii: "}"))
  }

  /// `{"amount":"1.5","raw":"1500000000000000000","t":"`
  private static func pointHead(raw: String, decimals: UInt8) -> [UInt8] {
    var head: [UInt8] = Array(#"{"amount":"#.utf8)
    JSONValue.string(TokenAmount.format(digits: raw, decimals: decimals)).write(to: &head)
    head.append(contentsOf: #","raw":"#.utf8)
    JSONValue.string(raw).write(to: &head)
    head.append(contentsOf: #","t":""#.utf8)
    return head
  }
}
