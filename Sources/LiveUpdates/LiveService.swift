public import ChainClients
public import ChainSync
import Foundation
public import Logging
public import PortfolioCore
public import ServiceLifecycle
public import Storage

/// The live pipeline: the change feed, and one poller per chain that hands it its readings.
public final class LiveService: Sendable {
  public let feed: ChangeFeed
  public let pollers: [ChainName: ChainPoller]
  /// Each chain's health, judged from the pollers' reads and its endpoints' breakers.
  public let health: ChainHealthBoard
  /// Keeps held assets' prices current; nil when no price source is configured.
  public let prices: PriceRefresher?
  /// How long a manual fetch waits for its read before answering 504.
  public let fetchTimeout: Duration

  public init(
    service: BalanceService, database: AppDatabase, logger: Logger, polls: Bool = true,
    fetchTimeout: Duration = .seconds(30),
    prices: (settings: PriceRefresher.Settings, fetch: PriceRefresher.Fetch)? = nil
  ) {
    let wallets = WalletStore(database)
    let feed = ChangeFeed(database: database)
    self.feed = feed
    self.fetchTimeout = fetchTimeout
    let health = ChainHealthBoard(
      chains: service.chains.mapValues { runtime in
        let rpc = runtime.rpc
        return (ChainHealthPolicy(pollInterval: runtime.settings.pollInterval), { rpc.stats.map(\.breaker) })
      }, logger: logger)
    self.health = health
    pollers = service.chains.mapValues { runtime in
      ChainPoller(
        runtime: runtime, service: service, wallets: wallets, feed: feed, health: health, logger: logger,
        polls: polls)
    }
    self.prices = prices.map { prices in
      PriceRefresher(
        feed: feed, prices: PriceStore(database), settings: prices.settings, logger: logger,
        fetch: prices.fetch)
    }
    if let refresher = self.prices {
      // An asset held for the first time is priced now rather than at the next refresh.
      feed.onUnpricedHolding { refresher.refreshSoon() }
    }
  }

  /// The feed first, so it is the last to stop: pollers, prices and requests finish their writes.
  public var services: [any Service] {
    [feed, health] + pollers.keys.sorted().compactMap { pollers[$0] } + (prices.map { [$0] } ?? [])
  }

  /// New wallets: each chain reads its own together, soon.
  public func walletsAdded(_ wallets: [Wallet]) async {
    for (chain, added) in Dictionary(grouping: wallets, by: \.chain) {
      await pollers[chain]?.readSoon(added)
    }
  }

  /// Reads the wallet now (after a read in flight) and stores the changes.
  public func refresh(_ wallet: Wallet) async throws {
    guard let poller = pollers[wallet.chain] else { return }
    try await poller.refresh(wallet, timeout: fetchTimeout)
  }

  public var statuses: [ChainName: ChainStatus] { pollers.mapValues(\.status) }

  /// The chain's endpoints with their breakers, URLs redacted.
  public func endpoints(of chain: ChainName) -> [EndpointStats] {
    pollers[chain]?.runtime.rpc.stats ?? []
  }
}
