public import BigInt
public import Foundation
public import Logging
public import PortfolioCore
public import ServiceLifecycle
public import Storage
import Synchronization

/// Keeps the prices of held assets current: every interval it asks the sources for every
/// asset some wallet holds, stores what they answer through the change feed (which pushes
/// moves past the threshold), and drops prices nobody has confirmed for the TTL.
public final class PriceRefresher: Service, Sendable {
  public struct Settings: Sendable {
    public var interval: Duration
    /// A price no source has confirmed for this long is no longer served.
    public var ttl: Duration
    /// Moves smaller than this, in parts per million of the price last pushed, are stored
    /// but not pushed.
    public var pushThreshold: BigUInt

    public init(interval: Duration, ttl: Duration, pushThreshold: BigUInt) {
      self.interval = interval
      // A price must outlive the wait for the next refresh, or it would lapse between two.
      self.ttl = max(ttl, interval * 2)
      self.pushThreshold = pushThreshold
    }
  }

  /// How the last refresh went, for the health probe.
  public struct Status: Sendable {
    public var lastRefresh: Date?
    public var assetsHeld = 0
    public var assetsPriced = 0
    public var requests = 0
  }

  /// Prices for these assets from the sources, in their order; `requests` is what it cost.
  public typealias Fetch = @Sendable ([AssetKey]) async -> (quotes: [PriceQuote], requests: Int)

  private let feed: ChangeFeed
  private let prices: PriceStore
  private let settings: Settings
  private let fetch: Fetch
  private let logger: Logger
  private let wake = WakeSignal()
  private let statusBox = Mutex(Status())

  public init(
    feed: ChangeFeed, prices: PriceStore, settings: Settings, logger: Logger, fetch: @escaping Fetch
  ) {
    self.feed = feed
    self.prices = prices
    self.settings = settings
    self.fetch = fetch
    self.logger = logger
  }

  public var status: Status { statusBox.withLock { $0 } }

  /// Refreshes now rather than at the next interval (a new asset is held).
  public func refreshSoon() {
    wake.signal()
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        let next = ContinuousClock.now + self.settings.interval
        await self.refresh()
        await self.wake.wait(until: next)
      }
    }
  }

  /// One refresh; returns the write it made, for tests.
  @discardableResult
  public func refresh() async -> PriceWrite? {
    do {
      let held = try prices.heldAssets()
      var write: PriceWrite?
      var answer: (quotes: [PriceQuote], requests: Int) = ([], 0)
      if !held.isEmpty {
        answer = await fetch(held)
        if !answer.quotes.isEmpty {
          write = try await feed.storePrices(answer.quotes, at: Date(), pushThreshold: settings.pushThreshold)
        }
      }
      let status = Status(
        lastRefresh: Date(), assetsHeld: held.count, assetsPriced: Set(answer.quotes.map(\.asset)).count,
        requests: answer.requests)
      statusBox.withLock { $0 = status }
      let now = Date()
      let expired = try await feed.expirePrices(
        takenBefore: now.addingTimeInterval(-settings.ttl.inSeconds), at: now)
      for move in expired.moves {
        logger.warning("no source has priced \(move.asset) for \(settings.ttl.inSeconds) s: it is unpriced now")
      }
      return write
    } catch is FeedClosed {
      return nil
    } catch {
      logger.error("price refresh failed: \(error)")
      return nil
    }
  }
}
