public import ChainSync
public import Foundation
public import Logging
public import PortfolioCore
public import Storage
import Synchronization

/// The live pipeline: one poller per chain and the hub they publish to.
public final class LiveService: Sendable {
  public let hub = Hub()
  public let pollers: [String: ChainPoller]
  private let tasks = Mutex<[Task<Void, Never>]>([])

  public init(service: BalanceService, database: AppDatabase, logger: Logger) {
    let wallets = WalletStore(database)
    let hub = self.hub
    pollers = service.chains.mapValues { runtime in
      ChainPoller(runtime: runtime, service: service, wallets: wallets, hub: hub, logger: logger)
    }
  }

  public func start() {
    tasks.withLock { tasks in
      tasks = pollers.values.map { poller in Task { await poller.run() } }
    }
  }

  public func stop() {
    tasks.withLock { tasks in
      for task in tasks { task.cancel() }
      tasks = []
    }
  }

  /// A new wallet: subscribers hear of it, and its chain reads it at once.
  public func walletAdded(_ wallet: Wallet) {
    hub.announce(StreamFrames.walletAdded(wallet), to: .portfolio)
    guard let poller = pollers[wallet.chain] else { return }
    Task { try? await poller.refresh(wallet) }
  }

  public func walletRemoved(_ id: UUID) {
    hub.walletRemoved(id)
  }

  /// Reads the wallet now (joining a read in flight) and publishes the changes.
  public func refresh(_ wallet: Wallet) async throws {
    guard let poller = pollers[wallet.chain] else { return }
    try await poller.refresh(wallet)
  }

  public var statuses: [String: ChainStatus] { pollers.mapValues(\.status) }
}
