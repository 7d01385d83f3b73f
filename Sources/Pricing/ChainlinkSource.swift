public import ChainClients
public import Foundation
public import PortfolioConfig
public import PortfolioCore

/// Prices from Chainlink AggregatorV3 feeds read on chain: `latestRoundData()` and
/// `decimals()` of every feed of a chain in one Multicall3 read, chains read at once. The
/// price is `answer / 10^decimals`, exactly. An answer of zero or below is refused, and one
/// older than its feed's max age (or `prices.max_age`) is stale and not used.
public final class ChainlinkSource: ReportingPriceSource {
  public let kind = PriceSourceKind.chainlink
  /// Feeds by asset.
  let feeds: [AssetKey: AppConfig.PriceFeed]
  let readers: [ChainName: EVMBalanceReader]
  let useMulticall: [ChainName: Bool]
  let defaultMaxAge: Double
  let now: @Sendable () -> Date

  /// `readers` are the chains' EVM readers; a feed on a chain without one is not read.
  /// `useMulticall` false reads a chain with JSON-RPC batches instead (no Multicall3 there).
  public init(
    feeds: [AppConfig.PriceFeed], readers: [ChainName: EVMBalanceReader],
    useMulticall: [ChainName: Bool] = [:],
    maxAge: Double, now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.feeds = Dictionary(feeds.map { ($0.asset, $0) }, uniquingKeysWith: { first, _ in first })
    self.readers = readers
    self.useMulticall = useMulticall
    defaultMaxAge = maxAge
    self.now = now
  }

  /// The feeds of every enabled chain and `prices.max_age`, read through `readers`.
  public convenience init(
    config: AppConfig, readers: [ChainName: EVMBalanceReader],
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.init(
      feeds: config.chains.values.flatMap(\.priceFeeds), readers: readers,
      useMulticall: config.chains.mapValues { $0.multicallAddress != nil }, maxAge: config.prices.maxAge,
      now: now)
  }

  /// Every asset some feed prices.
  public var pricedAssets: Set<AssetKey> { Set(feeds.keys) }

  public func report(for assets: [AssetKey]) async throws -> PriceSourceReport {
    var byChain: [ChainName: [AppConfig.PriceFeed]] = [:]
    for asset in Set(assets) {
      guard let feed = feeds[asset], readers[asset.chain] != nil else { continue }
      byChain[asset.chain, default: []].append(feed)
    }
    guard !byChain.isEmpty else { return PriceSourceReport(quotes: []) }
    let readings = await read(byChain)
    var report = PriceSourceReport(quotes: [])
    var failures: [String] = []
    let at = now()
    for (chain, outcome) in readings.sorted(by: { $0.key < $1.key }) {
      switch outcome {
      case .success(let reading):
        report.httpRequests += reading.httpRequests
        for feed in byChain[chain] ?? [] {
          switch judge(reading.answers[feed.address], of: feed, now: at) {
          case .success(let quote): report.quotes.append(quote)
          case .failure(let problem): report.problems.append(problem.message)
          }
        }
      case .failure(let error):
        failures.append("\(chain): \(error.message)")
      }
    }
    report.problems += failures
    if failures.count == readings.count {
      throw PriceSourceError(
        source: .chainlink, kind: .chain, message: failures.joined(separator: "; "),
        httpRequests: report.httpRequests)
    }
    return report
  }

  /// One read per chain, all at once.
  private func read(_ byChain: [ChainName: [AppConfig.PriceFeed]]) async
    -> [ChainName: Result<FeedReading, ChainRPCError>]
  {
    await withTaskGroup(of: (ChainName, Result<FeedReading, ChainRPCError>).self) { group in
      for (chain, chainFeeds) in byChain {
        guard let reader = readers[chain] else { continue }
        let multicall = useMulticall[chain] ?? true
        group.addTask {
          do throws(ChainRPCError) {
            return (
              chain, .success(try await reader.readFeeds(chainFeeds.map(\.address), useMulticall: multicall))
            )
          } catch {
            return (chain, .failure(error))
          }
        }
      }
      var readings: [ChainName: Result<FeedReading, ChainRPCError>] = [:]
      for await (chain, outcome) in group { readings[chain] = outcome }
      return readings
    }
  }

  /// Why a feed's answer is not used.
  struct Refusal: Error {
    let message: String
  }

  /// The quote a feed's answer gives, or why it gives none.
  func judge(_ answer: FeedAnswer?, of feed: AppConfig.PriceFeed, now: Date) -> Result<PriceQuote, Refusal> {
    let name = "\(feed.asset) feed \(feed.address)"
    guard let answer else { return .failure(Refusal(message: "\(name) did not answer latestRoundData()")) }
    guard answer.answer > 0 else {
      return .failure(Refusal(message: "\(name) answered \(answer.answer), not a price"))
    }
    guard answer.updatedAt > 0, let updated = UInt64(exactly: answer.updatedAt) else {
      return .failure(Refusal(message: "\(name) has no completed round"))
    }
    let at = Date(timeIntervalSince1970: TimeInterval(updated))
    let maxAge = feed.maxAge ?? defaultMaxAge
    let age = now.timeIntervalSince(at)
    guard age <= maxAge else {
      return .failure(
        Refusal(message: "\(name) is stale: updated \(Int(age)) s ago, more than its \(Int(maxAge)) s"))
    }
    guard let price = USDPrice(significand: answer.answer.magnitude, scale: Int(answer.decimals)) else {
      return .failure(Refusal(message: "\(name) answered a price out of bounds"))
    }
    return .success(PriceQuote(asset: feed.asset, price: price, source: .chainlink, at: at))
  }
}
