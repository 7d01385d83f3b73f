public import ChainClients
public import Foundation

/// How a chain is doing, as `/api/v1/health` and the stream's `chain_status` frames say it.
public enum ChainHealthStatus: String, Sendable, Equatable {
  /// The last poll read the chain, that read is recent, and every endpoint takes requests.
  case ok
  /// Readable, but not all is well: the last poll failed, the last good read is getting old,
  /// one of several endpoints is shut out by its breaker, or the chain was not read yet.
  case degraded
  /// Not readable: every endpoint's breaker is open, or no good read for `downAfter`.
  case down
}

/// Why a chain is not `ok`, in a word a program can switch on.
public enum ChainHealthReason: String, Sendable, Equatable {
  case notReadYet = "not_read_yet"
  /// The last poll failed.
  case failing
  /// No good read within `staleAfter`.
  case stale
  /// Some endpoint's breaker is open or half-open; another one answers.
  case endpointUnavailable = "endpoint_unavailable"
  /// Every endpoint's breaker is open or half-open: nothing is being asked.
  case noEndpointAvailable = "no_endpoint_available"
  /// No good read within `downAfter` (counted from the start when there was none).
  case noGoodRead = "no_good_read"
}

/// How old a chain's last good read may get before it counts as degraded, then down.
public struct ChainHealthPolicy: Sendable, Equatable {
  public var staleAfter: TimeInterval
  public var downAfter: TimeInterval

  public init(staleAfter: TimeInterval, downAfter: TimeInterval) {
    self.staleAfter = staleAfter
    self.downAfter = max(staleAfter, downAfter)
  }

  /// Three polls (at least 30 s) to stale, ten (at least 120 s) to down: a slow read of many
  /// wallets or one lost poll does not alarm anyone, a node gone for minutes does.
  public init(pollInterval: TimeInterval) {
    self.init(staleAfter: max(3 * pollInterval, 30), downAfter: max(10 * pollInterval, 120))
  }
}

/// One chain's health as a state machine driven by poll outcomes and the clock, tested
/// without I/O: each input answers whether the status changed.
///
/// `down` holds until a good read: a breaker half-opening for its probe, or the clock, never
/// moves a dead chain back to `degraded`, so a node that stays dead does not flap.
public struct ChainHealth: Sendable, Equatable {
  public private(set) var status = ChainHealthStatus.degraded
  /// nil when `ok`.
  public private(set) var reason: ChainHealthReason? = .notReadYet
  /// When the chain entered `status`.
  public private(set) var since: Date
  public private(set) var lastGoodRead: Date?
  public private(set) var consecutiveFailures = 0
  /// Redacted by whoever reports it: no node URL's secrets.
  public private(set) var lastError: String?
  public private(set) var lastErrorAt: Date?
  public let policy: ChainHealthPolicy
  private let startedAt: Date

  public init(policy: ChainHealthPolicy, startedAt: Date) {
    self.policy = policy
    self.startedAt = startedAt
    since = startedAt
  }

  /// A poll read the chain.
  @discardableResult
  public mutating func succeeded(at time: Date, breakers: [CircuitBreaker.Position]) -> Bool {
    lastGoodRead = time
    consecutiveFailures = 0
    return settle(at: time, breakers: breakers, readJustNow: true)
  }

  /// A poll failed with `error`.
  @discardableResult
  public mutating func failed(_ error: String, at time: Date, breakers: [CircuitBreaker.Position]) -> Bool {
    consecutiveFailures += 1
    lastError = error
    lastErrorAt = time
    return settle(at: time, breakers: breakers, readJustNow: false)
  }

  /// Time passed, or a breaker moved, with no poll outcome.
  @discardableResult
  public mutating func evaluate(at time: Date, breakers: [CircuitBreaker.Position]) -> Bool {
    settle(at: time, breakers: breakers, readJustNow: false)
  }

  private mutating func settle(at time: Date, breakers: [CircuitBreaker.Position], readJustNow: Bool) -> Bool
  {
    let (next, why) = judge(at: time, breakers: breakers)
    if status == .down, next != .down, !readJustNow { return false }
    reason = why
    guard next != status else { return false }
    status = next
    since = time
    return true
  }

  /// The status the facts call for, the worst reason first.
  private func judge(at time: Date, breakers: [CircuitBreaker.Position])
    -> (ChainHealthStatus, ChainHealthReason?)
  {
    let shutOut = breakers.filter { $0 != .closed }.count
    let age = time.timeIntervalSince(lastGoodRead ?? startedAt)
    if !breakers.isEmpty, shutOut == breakers.count { return (.down, .noEndpointAvailable) }
    if age >= policy.downAfter { return (.down, .noGoodRead) }
    if consecutiveFailures > 0 { return (.degraded, .failing) }
    if lastGoodRead == nil { return (.degraded, .notReadYet) }
    if age >= policy.staleAfter { return (.degraded, .stale) }
    if shutOut > 0 { return (.degraded, .endpointUnavailable) }
    return (.ok, nil)
  }
}
