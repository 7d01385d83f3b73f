public import Foundation
public import PortfolioCore
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

  /// The JSON answer: `{from, interval, series: [{asset, chain, decimals, points, token}], to,
  /// totals}` with each point `{amount, price, raw, t, usd}` and each total `{t, unpriced_assets,
  /// usd}`, keys sorted like every other answer. A point is valued at the asset's price at the
  /// end of its bucket; without one its `usd` is null and the bucket's total counts it unpriced.
  public static func json(closes: [AssetCloses], prices: [AssetKey: PriceCloses], buckets: Buckets) -> [UInt8]
  {
    var times: [[UInt8]] = []
    times.reserveCapacity(buckets.count)
    for index in 0..<buckets.count {
      var text: [UInt8] = []
      ISO8601Text.write(
        milliseconds: (buckets.first + Int64(index) * buckets.interval.seconds) * 1000, to: &text)
      times.append(text)
    }
    var totals = BucketTotals(count: buckets.count)
    var output: [UInt8] = []
    output.reserveCapacity(64 + closes.count * buckets.count * 100)
    output.append(contentsOf: #"{"from":"#.utf8)
    JSONValue.string(ISO8601Text.milliseconds(buckets.first * 1000)).write(to: &output)
    output.append(contentsOf: #","interval":"#.utf8)
    JSONValue.string(buckets.interval.rawValue).write(to: &output)
    output.append(contentsOf: #","series":["#.utf8)
    for (index, asset) in closes.enumerated() {
      if index > 0 { output.append(UInt8(ascii: ",")) }
      let key = AssetKey(chain: asset.chain, token: asset.token)
      write(asset, prices: prices[key], buckets: buckets, times: times, totals: &totals, to: &output)
    }
    output.append(contentsOf: #"],"to":"#.utf8)
    JSONValue.string(buckets.to.iso8601).write(to: &output)
    output.append(contentsOf: #","totals":["#.utf8)
    // Totals repeat from bucket to bucket while nothing moves: each is spelled once.
    var spelled: (amount: USDAmount, text: String) = (.zero, USDAmount.zero.text)
    for index in 0..<buckets.count {
      if index > 0 { output.append(UInt8(ascii: ",")) }
      output.append(contentsOf: #"{"t":""#.utf8)
      output.append(contentsOf: times[index])
      output.append(contentsOf: #"","unpriced_assets":\#(totals.unpriced[index]),"usd":"#.utf8)
      // Holdings none of which had a price are worth an unknown amount, not zero.
      if totals.priced[index] == 0 && totals.unpriced[index] > 0 {
        output.append(contentsOf: "null}".utf8)
      } else {
        if totals.usd[index] != spelled.amount { spelled = (totals.usd[index], totals.usd[index].text) }
        output.append(UInt8(ascii: "\""))
        output.append(contentsOf: spelled.text.utf8)
        output.append(contentsOf: #""}"#.utf8)
      }
    }
    output.append(contentsOf: "]}".utf8)
    return output
  }

  /// Per bucket, the sum of the priced points and how many held assets had no price.
  private struct BucketTotals {
    var usd: [USDAmount]
    var priced: [Int]
    var unpriced: [Int]

    init(count: Int) {
      usd = Array(repeating: .zero, count: count)
      priced = Array(repeating: 0, count: count)
      unpriced = Array(repeating: 0, count: count)
    }
  }

  private static func write(
    _ asset: AssetCloses, prices: PriceCloses?, buckets: Buckets, times: [[UInt8]],
    totals: inout BucketTotals,
    to output: inout [UInt8]
  ) {
    output.append(contentsOf: #"{"asset":"#.utf8)
    JSONValue.string(asset.symbol).write(to: &output)
    output.append(contentsOf: #","chain":"#.utf8)
    JSONValue.string(asset.chain.rawValue).write(to: &output)
    output.append(contentsOf: #","decimals":\#(asset.decimals),"points":["#.utf8)
    // A point's text changes only when the total or the price does: made once per close.
    var raw = asset.opening ?? "0"
    var price = prices?.opening
    var point = Point(raw: raw, price: price, decimals: asset.decimals)
    var next = 0
    var nextPrice = 0
    let priceCloses = prices?.closes ?? []
    for index in 0..<buckets.count {
      let last = buckets.lastHour(ofBucket: index)
      var moved = false
      while next < asset.closes.count, asset.closes[next].hour <= last {
        raw = asset.closes[next].raw
        next += 1
        moved = true
      }
      while nextPrice < priceCloses.count, priceCloses[nextPrice].hour <= last {
        price = priceCloses[nextPrice].price
        nextPrice += 1
        moved = true
      }
      if moved { point = Point(raw: raw, price: price, decimals: asset.decimals) }
      if let usd = point.usd {
        totals.usd[index] += usd
        totals.priced[index] += 1
      } else if raw != "0" {
        totals.unpriced[index] += 1
      }
      if index > 0 { output.append(UInt8(ascii: ",")) }
      output.append(contentsOf: point.head)
      output.append(contentsOf: times[index])
      output.append(contentsOf: point.tail)
    }
    output.append(contentsOf: #"],"token":"#.utf8)
    if let token = asset.token {
      JSONValue.string(token).write(to: &output)
    } else {
      output.append(contentsOf: "null".utf8)
    }
    output.append(UInt8(ascii: "}"))
  }

  /// A point's text around its time, and its value.
  private struct Point {
    /// `{"amount":"1.5","price":"3000","raw":"1500000000000000000","t":"`
    let head: [UInt8]
    /// `","usd":"4500.00"}`
    let tail: [UInt8]
    let usd: USDAmount?

    init(raw: String, price: USDPrice?, decimals: UInt8) {
      var head: [UInt8] = Array(#"{"amount":"#.utf8)
      JSONValue.string(TokenAmount.format(digits: raw, decimals: decimals)).write(to: &head)
      head.append(contentsOf: #","price":"#.utf8)
      if let price {
        JSONValue.string(price.text).write(to: &head)
      } else {
        head.append(contentsOf: "null".utf8)
      }
      head.append(contentsOf: #","raw":"#.utf8)
      JSONValue.string(raw).write(to: &head)
      head.append(contentsOf: #","t":""#.utf8)
      self.head = head
      usd = price.flatMap { price in
        BaseUnits(text: raw).map { USDAmount(raw: $0.value, decimals: decimals, price: price) }
      }
      tail = Array((usd.map { #"","usd":"\#($0.text)"}"# } ?? #"","usd":null}"#).utf8)
    }
  }
}
