import CAllocator
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
  /// Wallets read and stored together in a full read: 21,000 calls with 20 tokens each.
  static let walletsPerSlice = 1_000
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

  /// Polls until the task is cancelled; failures back off up to one interval plus the
  /// breaker's cool-down.
  public func run() async {
    while !Task.isCancelled {
      await tick()
      let failures = statusBox.withLock { $0.consecutiveFailures }
      let backoff = PollBackoff.delay(
        afterFailures: failures, interval: interval, coolDown: runtime.rpc.breakerCoolDown,
        breakerWait: runtime.rpc.breakerWait)
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
      try await serialized { try await self.readAll(head: head) }
      // Only a successful read settles the head: after a failure the next tick tries again.
      lastHead = head
    } catch {
      recordFailure(error)
    }
  }

  /// Reads every wallet of the chain, a slice at a time, and publishes what changed as each
  /// slice is stored: a cycle's memory is bounded by two slices, the next slice is read while
  /// one is written, and the first changes go out before the last wallets are read. EVM slices
  /// are all read at the head just seen.
  private func readAll(head: UInt64) async throws {
    let all = try wallets.all(chain: runtime.name)
    let discover = lastDiscovery.map { ContinuousClock.now - $0 >= rediscoverEvery } ?? true
    let started = ContinuousClock.now
    let block = runtime.settings.chain.family == .evm ? head : nil
    let slices = stride(from: 0, to: all.count, by: Self.walletsPerSlice).map {
      Array(all[$0..<min($0 + Self.walletsPerSlice, all.count)])
    }
    let chain = runtime.name
    let service = service
    func read(_ slice: [Wallet]) -> Task<[StoredBalance], any Error> {
      Task { try await service.read(chain: chain, wallets: slice, discover: discover, block: block) }
    }
    var next = slices.first.map { read($0) }
    var latestBlock: UInt64?
    for index in slices.indices {
      guard let reading = next else { break }
      let readings = try await reading.value
      next = index + 1 < slices.count ? read(slices[index + 1]) : nil
      let result: RefreshResult
      do {
        result = try service.store(chain: chain, readings)
      } catch {
        next?.cancel()
        throw error
      }
      hub.publish(result.changes, readAt: result.readAt)
      if let block = result.changes.compactMap(\.block).max() { latestBlock = max(latestBlock ?? 0, block) }
    }
    if discover { lastDiscovery = .now }
    lastFullRead = .now
    recordSuccess(
      wallets: all.count, block: latestBlock, took: ContinuousClock.now - started)
    if all.count > Self.walletsPerSlice {
      // The allocator would otherwise keep a large cycle's peak mapped until the next one.
      _ = portfolio_release_free_memory()
    }
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

  private func recordSuccess(wallets: Int, block: UInt64?, took: Duration) {
    statusBox.withLock { status in
      status.lastReadSeconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
      status.lastSuccess = Date()
      status.consecutiveFailures = 0
      status.wallets = wallets
      status.readAt = block ?? status.head
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
