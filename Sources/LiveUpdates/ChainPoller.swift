import CAllocator
import ChainClients
public import ChainSync
import Foundation
public import Logging
public import PortfolioCore
public import ServiceLifecycle
public import Storage
import Synchronization

/// A manual fetch that waited longer than it may.
public struct FetchTimedOut: Error, CustomStringConvertible, Sendable {
  public let chain: ChainName
  public let timeout: Duration
  public var description: String {
    "\(chain) did not answer within \(timeout.components.seconds) s; the read goes on and its result will be stored"
  }
}

/// Keeps one chain's balances current: a cheap head check every interval, and a batched read
/// of all the chain's wallets when the head moved (or the longest interval passed). Wallets
/// that need reading now (just added, or fetched by hand) are queued and read together, in
/// one batched read between cycles, however many arrive. Every read runs in this one loop, so
/// reads of a chain never overlap and a burst of new wallets never delays a cycle by more
/// than one batched read.
public actor ChainPoller: Service {
  let runtime: ChainRuntime
  let service: BalanceService
  let wallets: WalletStore
  let feed: ChangeFeed
  let health: ChainHealthBoard
  let logger: Logger
  let interval: Duration
  /// A full read happens at least this often even when the head has not moved.
  let maxInterval: Duration
  let rediscoverEvery: Duration = .seconds(300)
  /// Off where reads are only asked for (tests): queued wallets are still read.
  let polls: Bool
  /// Wallets read and stored together: 21,000 calls with 20 tokens each.
  static let walletsPerSlice = 1_000
  private var lastHead: UInt64?
  private var lastFullRead: ContinuousClock.Instant?
  private var lastDiscovery: ContinuousClock.Instant?
  private var nextPoll = ContinuousClock.now
  private var queued: [Wallet] = []
  private var queuedIDs: Set<UUID> = []
  private let waiters = ReadWaiters()
  private let wake = WakeSignal()
  private let statusBox = Mutex(ChainStatus())

  public init(
    runtime: ChainRuntime, service: BalanceService, wallets: WalletStore, feed: ChangeFeed,
    health: ChainHealthBoard, logger: Logger, polls: Bool = true
  ) {
    self.runtime = runtime
    self.service = service
    self.wallets = wallets
    self.feed = feed
    self.health = health
    var logger = logger
    // Every line this poller logs names its chain.
    logger[metadataKey: "chain"] = "\(runtime.name)"
    self.logger = logger
    self.polls = polls
    interval = .milliseconds(Int(runtime.settings.pollInterval * 1000))
    maxInterval = max(.seconds(60), .milliseconds(Int(runtime.settings.pollInterval * 10_000)))
  }

  /// Polls and reads queued wallets until shutdown.
  public func run() async throws {
    await cancelWhenGracefulShutdown { await self.loop() }
  }

  private func loop() async {
    while !Task.isCancelled {
      if queued.count > Self.walletsPerSlice {
        // More than one batch waits (an import): one full read covers them all, its slices
        // pipelined, and counts as the cycle.
        await readEverythingQueued()
        scheduleNextPoll()
      } else if !queued.isEmpty {
        await readQueued()
      } else if polls && ContinuousClock.now >= nextPoll {
        await tick()
        scheduleNextPoll()
      } else {
        await wake.wait(until: polls ? nextPoll : .now + .seconds(3600))
      }
    }
    waiters.finish(Set(queued.map(\.id)), read: .max, .failure(FeedClosed()))
  }

  /// After failures the wait backs off, but never beyond one interval plus the breaker's
  /// cool-down, so a node that comes back is read again promptly.
  private func scheduleNextPoll() {
    let failures = statusBox.withLock { $0.consecutiveFailures }
    nextPoll =
      .now
      + PollBackoff.delay(
        afterFailures: failures, interval: interval, coolDown: runtime.rpc.breakerCoolDown,
        breakerWait: runtime.rpc.breakerWait)
  }

  /// A full read of the chain for the wallets queued before it began.
  private func readEverythingQueued() async {
    let ids = Set(queued.map(\.id))
    queued = []
    queuedIDs = []
    let read = waiters.beginRead()
    let failure = await tick(force: true)
    waiters.finish(ids, read: read, failure.map { .failure($0) } ?? .success(()))
  }

  /// Queues wallets to be read soon, together with any others queued meanwhile.
  public func readSoon(_ wallets: [Wallet]) {
    for wallet in wallets where queuedIDs.insert(wallet.id).inserted { queued.append(wallet) }
    wake.signal()
  }

  /// A manual fetch: queues the wallet and waits for its read (or its failure) at most
  /// `timeout`.
  public nonisolated func refresh(_ wallet: Wallet, timeout: Duration) async throws {
    let ticket = waiters.ticket(for: wallet.id)
    await readSoon([wallet])
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await self.waiters.wait(ticket) }
      group.addTask {
        try await Task.sleep(for: timeout)
        throw FetchTimedOut(chain: self.runtime.name, timeout: timeout)
      }
      defer { group.cancelAll() }
      try await group.next()
    }
  }

  /// Reads up to a slice of the queued wallets in one batched read, with discovery.
  private func readQueued() async {
    let batch = Array(queued.prefix(Self.walletsPerSlice))
    queued.removeFirst(batch.count)
    let ids = Set(batch.map(\.id))
    queuedIDs.subtract(ids)
    let read = waiters.beginRead()
    do {
      let readings = try await service.read(chain: runtime.name, wallets: batch, discover: true)
      _ = try await feed.storeReadings(chain: runtime.name, readings, readAt: .now)
      PollMetrics.walletsRead(chain: runtime.name, count: batch.count)
      statusBox.withLock { $0.lastSuccess = Date() }
      health.succeeded(runtime.name)
      waiters.finish(ids, read: read, .success(()))
    } catch {
      waiters.finish(ids, read: read, .failure(error))
      let text = Self.describe(error)
      if !Task.isCancelled { health.failed(runtime.name, error: text) }
      logger.warning(
        "reading new wallets failed; the next cycle reads them",
        metadata: ["wallets": "\(batch.count)", "error": "\(text)"])
    }
  }

  /// One poll: head check, then a full read when warranted (or `force`d). Answers the error
  /// that failed it.
  @discardableResult
  func tick(force: Bool = false) async -> (any Error)? {
    let started = ContinuousClock.now
    let failure = await pollOnce(force: force)
    if failure == nil || !Task.isCancelled {
      PollMetrics.cycle(chain: runtime.name, took: .now - started, failed: failure != nil)
    }
    return failure
  }

  private func pollOnce(force: Bool) async -> (any Error)? {
    do {
      let head = try await runtime.head()
      // The node answers again: the chain is no longer failing, even if nothing needs reading.
      statusBox.withLock { status in
        status.head = head
        status.consecutiveFailures = 0
      }
      let stale = lastFullRead.map { ContinuousClock.now - $0 >= maxInterval } ?? true
      if head != lastHead || stale || force {
        try await readAll(head: head)
        // Only a successful read settles the head: after a failure the next tick tries again.
        lastHead = head
      }
      // An unmoved head is a good read too: the balances cannot have changed.
      health.succeeded(runtime.name)
      return nil
    } catch {
      // A read cut short by shutdown is not the chain's failure.
      if !Task.isCancelled { recordFailure(error) }
      return error
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
    let feed = feed
    // One child reads the next slice while this task stores the last: two slices at most.
    let latestBlock = try await withThrowingTaskGroup(
      of: (readings: [StoredBalance], at: ContinuousClock.Instant).self
    ) { group in
      func read(_ index: Int) {
        guard index < slices.count else { return }
        group.addTask {
          let readings = try await service.read(
            chain: chain, wallets: slices[index], discover: discover, block: block)
          return (readings, .now)
        }
      }
      read(0)
      var latest: UInt64?
      for index in slices.indices {
        guard let (readings, readAt) = try await group.next() else { break }
        read(index + 1)
        let changes = try await feed.storeReadings(chain: chain, readings, readAt: readAt)
        if let block = changes.compactMap(\.block).max() { latest = max(latest ?? 0, block) }
      }
      return latest
    }
    if discover { lastDiscovery = .now }
    lastFullRead = .now
    PollMetrics.walletsRead(chain: chain, count: all.count)
    recordSuccess(wallets: all.count, block: latestBlock, took: ContinuousClock.now - started)
    if all.count > Self.walletsPerSlice {
      // The allocator would otherwise keep a large cycle's peak mapped until the next one.
      _ = portfolio_release_free_memory()
    }
  }

  private func recordSuccess(wallets: Int, block: UInt64?, took: Duration) {
    statusBox.withLock { status in
      status.lastReadSeconds = took.inSeconds
      status.lastSuccess = Date()
      status.consecutiveFailures = 0
      status.wallets = wallets
      status.readAt = block ?? status.head
    }
  }

  private func recordFailure(_ error: any Error) {
    let text = Self.describe(error)
    let failures = statusBox.withLock { status in
      status.consecutiveFailures += 1
      return status.consecutiveFailures
    }
    health.failed(runtime.name, error: text)
    if failures == 1 || failures % 10 == 0 {
      logger.warning(
        "poll failed", metadata: ["failures": "\(failures)", "error": "\(text)"])
    }
  }

  /// An error as health and logs show it: any node URL it quotes loses its secrets.
  static func describe(_ error: any Error) -> String {
    URLRedaction.redactURLs(in: "\(error)")
  }

  /// Readable from any thread, for the health endpoint.
  public nonisolated var status: ChainStatus { statusBox.withLock { $0 } }
}
