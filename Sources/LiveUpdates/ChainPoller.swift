import ChainClients
public import ChainSync
import Foundation
public import Logging
public import PortfolioCore
public import Storage
import Synchronization

/// Keeps one chain's balances current: a cheap head check every interval, and a batched read
/// of all the chain's wallets when the head moved (or the longest interval passed). Reads of
/// one chain run one at a time; a manual fetch waits for a read in flight, then reads its wallet.
public actor ChainPoller {
  let runtime: ChainRuntime
  let service: BalanceService
  let wallets: WalletStore
  let hub: Hub
  let logger: Logger
  let interval: Duration
  /// A full read happens at least this often even when the head has not moved.
  let maxInterval: Duration
  let rediscoverEvery: Duration = .seconds(300)
  private var lastHead: UInt64?
  private var lastFullRead: ContinuousClock.Instant?
  private var lastDiscovery: ContinuousClock.Instant?
  private var tail: Task<Void, Never>?
  private let statusBox = Mutex(ChainStatus())

  public init(runtime: ChainRuntime, service: BalanceService, wallets: WalletStore, hub: Hub, logger: Logger)
  {
    self.runtime = runtime
    self.service = service
    self.wallets = wallets
    self.hub = hub
    self.logger = logger
    interval = .milliseconds(Int(runtime.settings.pollInterval * 1000))
    maxInterval = max(.seconds(60), .milliseconds(Int(runtime.settings.pollInterval * 10_000)))
  }

  /// Polls until the task is cancelled; failures back off up to a minute.
  public func run() async {
    while !Task.isCancelled {
      await tick()
      let failures = statusBox.withLock { $0.consecutiveFailures }
      let backoff = failures == 0 ? interval : min(.seconds(60), interval * Double(1 << min(failures, 6)))
      try? await Task.sleep(for: backoff)
    }
  }

  /// One poll: head check, then a full read when warranted.
  func tick() async {
    do {
      let head = try await runtime.head()
      statusBox.withLock { $0.head = head }
      let stale = lastFullRead.map { ContinuousClock.now - $0 >= maxInterval } ?? true
      guard head != lastHead || stale else { return }
      try await serialized { try await self.readAll() }
      // Only a successful read settles the head: after a failure the next tick tries again.
      lastHead = head
    } catch {
      recordFailure(error)
    }
  }

  /// Reads every wallet of the chain and publishes what changed.
  private func readAll() async throws {
    let all = try wallets.all(chain: runtime.name)
    let discover = lastDiscovery.map { ContinuousClock.now - $0 >= rediscoverEvery } ?? true
    let result = try await service.refresh(chain: runtime.name, wallets: all, discover: discover)
    if discover { lastDiscovery = .now }
    lastFullRead = .now
    hub.publish(result.changes, readAt: result.readAt)
    recordSuccess(wallets: all.count, changes: result.changes)
  }

  /// A manual fetch, or a wallet just added: waits for any read in flight, then reads this
  /// wallet (rediscovering its token accounts) and publishes the changes.
  public func refresh(_ wallet: Wallet) async throws {
    try await serialized {
      let result = try await self.service.refresh(
        chain: self.runtime.name, wallets: [wallet], discover: true)
      self.hub.publish(result.changes, readAt: result.readAt)
      self.statusBox.withLock { $0.lastSuccess = Date() }
    }
  }

  /// Runs `work` after every read queued before it, so reads of one chain never overlap.
  private func serialized(_ work: @escaping @Sendable () async throws -> Void) async throws {
    let previous = tail
    let result = Mutex<(any Error)?>(nil)
    let task = Task {
      await previous?.value
      do { try await work() } catch { result.withLock { $0 = error } }
    }
    tail = task
    await task.value
    if let error = result.withLock({ $0 }) { throw error }
  }

  private func recordSuccess(wallets: Int, changes: [BalanceChange]) {
    statusBox.withLock { status in
      status.lastSuccess = Date()
      status.consecutiveFailures = 0
      status.wallets = wallets
      if let block = changes.compactMap(\.block).max() {
        status.readAt = block
      } else {
        status.readAt = status.head
      }
    }
  }

  private func recordFailure(_ error: any Error) {
    let failures = statusBox.withLock { status in
      status.lastError = "\(error)"
      status.lastErrorAt = Date()
      status.consecutiveFailures += 1
      return status.consecutiveFailures
    }
    if failures == 1 || failures % 10 == 0 {
      logger.warning(
        "poll failed", metadata: ["chain": "\(runtime.name)", "failures": "\(failures)", "error": "\(error)"])
    }
  }

  /// Readable from any thread, for the health endpoint.
  public nonisolated var status: ChainStatus { statusBox.withLock { $0 } }
}
