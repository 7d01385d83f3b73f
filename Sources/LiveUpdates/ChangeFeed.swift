public import BigInt
public import Foundation
public import PortfolioCore
public import ServiceLifecycle
public import Storage
import Synchronization

/// Where the change feed hands its frames (the web server's broadcast ring), and who else
/// must know that events were committed (readers of the log such as webhook delivery).
public protocol FeedOutlet: Sendable {
  /// Frames for followed topics; called only when there are some.
  func publish(_ frames: [FeedFrame])
  /// Events were committed, whether or not anyone follows their topics.
  func eventsCommitted()
}

extension FeedOutlet {
  public func eventsCommitted() {}
}

/// The feed is draining for shutdown: nothing more is written.
public struct FeedClosed: Error, CustomStringConvertible, Sendable {
  public var description: String { "the server is shutting down" }
}

/// The one writer of events and their one publisher. Pollers, fetches and wallet edits hand it
/// their results; it commits each in one transaction and, right after the commit and before
/// the next write, serializes the frames once and hands them to its outlets. The order on the
/// wire is therefore the commit order by construction.
public final class ChangeFeed: Service, Sendable {
  private let database: AppDatabase
  private let outlets = Mutex<[any FeedOutlet]>([])
  /// How many subscribers follow each topic: only followed topics get frames made.
  private let interest = Mutex<[StreamTopic: Int]>([:])
  private let state = Mutex(DrainState())
  private let unpricedHolding = Mutex<(@Sendable () -> Void)?>(nil)

  private struct DrainState {
    var inFlight = 0
    var closed = false
    var drained: [CheckedContinuation<Void, Never>] = []
  }

  public init(database: AppDatabase) {
    self.database = database
  }

  public func attach(_ outlet: any FeedOutlet) {
    outlets.withLock { $0.append(outlet) }
  }

  /// Runs until shutdown, then waits for writes under way and refuses new ones.
  public func run() async throws {
    try? await gracefulShutdown()
    await drain()
  }

  /// Refuses new writes and returns once the ones under way are committed and published.
  public func drain() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let done = state.withLock { state in
        state.closed = true
        if state.inFlight > 0 { state.drained.append(continuation) }
        return state.inFlight == 0
      }
      if done { continuation.resume() }
    }
  }

  // MARK: Interest

  /// A subscriber starts following `topic`; call before reading its first frames.
  public func retain(_ topic: StreamTopic) {
    interest.withLock { $0[topic, default: 0] += 1 }
  }

  /// Topics followed, summed over subscribers: the stream's subscriptions.
  public var subscriptions: Int { interest.withLock { $0.values.reduce(0, +) } }

  public func release(_ topic: StreamTopic) {
    interest.withLock { interest in
      let count = (interest[topic] ?? 1) - 1
      interest[topic] = count > 0 ? count : nil
    }
  }

  /// Called after a read stores a non-zero balance of an asset that has no price.
  public func onUnpricedHolding(_ handler: @escaping @Sendable () -> Void) {
    unpricedHolding.withLock { $0 = handler }
  }

  // MARK: Writes

  /// Adds a wallet; throws `WalletExists` when its user tracks its chain and address already.
  public func addWallet(_ wallet: Wallet) async throws -> Wallet {
    try await commit(readAt: nil) { transaction in
      let event = try transaction.addWallet(wallet)
      guard case .walletAdded(_, let stored) = event else { return (wallet, Publication(events: [event])) }
      return (stored, Publication(events: [event]))
    }
  }

  /// What became of one wallet of an import.
  public enum ImportOutcome: Sendable {
    case created(Wallet)
    case exists(Wallet)
  }

  /// Adds every wallet its user does not track yet, in one transaction; the others are answered
  /// with the user's wallet that has their chain and address (an earlier one of the same
  /// import included).
  public func addWallets(_ wallets: [Wallet]) async throws -> [ImportOutcome] {
    try await commit(readAt: nil) { transaction in
      var outcomes: [ImportOutcome] = []
      var events: [FeedEvent] = []
      for wallet in wallets {
        if let existing = try transaction.existingWallet(
          owner: wallet.owner, chain: wallet.chain, address: wallet.address)
        {
          outcomes.append(.exists(existing))
          continue
        }
        let event = try transaction.addWallet(wallet)
        guard case .walletAdded(_, let stored) = event else { continue }
        outcomes.append(.created(stored))
        events.append(event)
      }
      return (outcomes, Publication(events: events))
    }
  }

  /// Removes the user's wallet with its balances and history; false when they have none such.
  public func removeWallet(id: UUID, owner: UserID) async throws -> Bool {
    try await commit(readAt: nil) { transaction in
      guard let event = try transaction.removeWallet(id: id, owner: owner) else {
        return (false, Publication())
      }
      return (true, Publication(events: [event]))
    }
  }

  /// Tells a user something they must know (a webhook disabled, say): an alert of the log
  /// that names no rule, sent to their stream, webhooks and push subscriptions like others.
  public func notify(_ owner: UserID, about subject: UUID, title: String, message: String, data: JSONValue)
    async throws
  {
    try await commit(readAt: nil) { transaction in
      let event = try transaction.logAlert(
        owner: owner, rule: subject, title: title, message: message, data: data, at: Date())
      return ((), Publication(events: [event]))
    }
  }

  /// Removes a user with their wallets and tokens; false when there was none.
  public func removeUser(_ id: UserID) async throws -> Bool {
    try await commit(readAt: nil) { transaction in
      guard let events = try transaction.removeUser(id) else { return (false, Publication()) }
      return (true, Publication(events: events))
    }
  }

  /// Stores a reading of some wallets of one chain and publishes what changed.
  public func storeReadings(chain: ChainName, _ readings: [StoredBalance], readAt: ContinuousClock.Instant)
    async throws -> [BalanceChange]
  {
    let (changes, unpriced) = try await commit(readAt: readAt) { transaction in
      let changes = try transaction.applyReadings(chain: chain, readings)
      let prices = try transaction.prices(of: changes)
      let unpriced = changes.contains { $0.rawOld.isZero && !$0.rawNew.isZero && prices[$0.seq] == nil }
      let alerts = try AlertEvaluator.afterChanges(changes, in: transaction)
      return (
        (changes, unpriced), Publication(events: changes.map(FeedEvent.balance) + alerts, prices: prices)
      )
    }
    if unpriced, let handler = unpricedHolding.withLock({ $0 }) { handler() }
    return changes
  }

  /// Stores prices taken at `at` and pushes a `value` frame when some moved past
  /// `pushThreshold` (parts per million) since they were last pushed.
  public func storePrices(_ quotes: [PriceQuote], at: Date, pushThreshold: BigUInt) async throws -> PriceWrite
  {
    try await commit(readAt: nil) { [self] transaction in
      let write = try transaction.applyQuotes(quotes, at: at, pushThreshold: pushThreshold)
      let alerts = write.moves.isEmpty ? [] : try AlertEvaluator.afterPrices(in: transaction)
      return (write, Publication(events: alerts, frames: try valueFrames(write, transaction)))
    }
  }

  /// Drops prices no source has given since `cutoff`, and tells subscribers.
  public func expirePrices(takenBefore cutoff: Date, at: Date) async throws -> PriceWrite {
    try await commit(readAt: nil) { [self] transaction in
      let write = try transaction.expirePrices(takenBefore: cutoff, at: at)
      return (write, Publication(frames: try valueFrames(write, transaction)))
    }
  }

  private func valueFrames(_ write: PriceWrite, _ transaction: EventTransaction) throws -> [FeedFrame] {
    let followed = interest.withLock { Set($0.keys) }
    return try ValueFrames.frames(write, in: transaction, followed: followed)
  }

  /// What a commit publishes: events made into frames after it, with the prices that value
  /// them, and frames made inside it.
  private struct Publication: Sendable {
    var events: [FeedEvent] = []
    var prices: [Int64: StoredPrice] = [:]
    var frames: [FeedFrame] = []
  }

  /// Commits `work`'s events and publishes their frames before the next write starts.
  private func commit<T: Sendable>(
    readAt: ContinuousClock.Instant?,
    _ work: @escaping @Sendable (EventTransaction) throws -> (T, Publication)
  ) async throws -> T {
    try enter()
    defer { leave() }
    let result = try await database.commitEvents(work) { [self] (_, publication) in
      publish(publication, readAt: readAt)
    }
    return result.0
  }

  private func publish(_ publication: Publication, readAt: ContinuousClock.Instant?) {
    var frames = publication.frames
    if !publication.events.isEmpty {
      let followed = interest.withLock { $0 }
      frames += FeedFrames.frames(
        publication.events, portfolio: { followed[.portfolio($0)] != nil },
        walletTopic: { followed[.wallet($0)] != nil }, prices: publication.prices, readAt: readAt)
    }
    FeedMetrics.published(events: publication.events, frames: frames.count)
    let outlets = outlets.withLock { $0 }
    if !publication.events.isEmpty || !publication.frames.isEmpty {
      for outlet in outlets { outlet.eventsCommitted() }
    }
    guard !frames.isEmpty else { return }
    for outlet in outlets { outlet.publish(frames) }
  }

  private func enter() throws(FeedClosed) {
    try state.withLock { state throws(FeedClosed) in
      guard !state.closed else { throw FeedClosed() }
      state.inFlight += 1
    }
  }

  private func leave() {
    let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
      state.inFlight -= 1
      guard state.inFlight == 0, state.closed else { return [] }
      defer { state.drained = [] }
      return state.drained
    }
    for waiter in waiters { waiter.resume() }
  }
}
