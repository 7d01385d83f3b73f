import ChainClients
import Synchronization

/// What happened at a price API, for health and metrics.
public struct PriceAPIStats: Sendable, Equatable {
  public var requests = 0
  public var successes = 0
  public var retries = 0
  public var rateLimited = 0
  public var failures = 0
  /// Requests refused without sending because the breaker was open.
  public var rejected = 0
  public var breakerOpenings = 0
  public var breakerOpen = false

  public init() {}
}

/// One API's circuit breaker, request pace and pause after a 429, shared by every request to
/// it; the same guard `RPCEndpoint` keeps for a chain node.
final class PriceAPIGate: Sendable {
  private let state: Mutex<State>

  private struct State {
    var breaker: CircuitBreaker
    var bucket: TokenBucket
    /// No request before this, as the API's Retry-After asked.
    var pausedUntil: ContinuousClock.Instant?
    var stats = PriceAPIStats()
  }

  enum Reservation {
    /// Wait this long for the pace (and any pause), then `admit`.
    case wait(Duration)
    /// The breaker is open: the API is sidelined for now.
    case sidelined
    /// The API asked (Retry-After) for a longer break than a round should wait.
    case paused(remaining: Duration)
  }

  enum Outcome {
    case success
    case rateLimited
    case failure
    /// The caller went away before an answer: says nothing about the API.
    case abandoned
  }

  init(breaker: CircuitBreaker, requestsPerMinute: Double, now: ContinuousClock.Instant) {
    // A burst of half a minute's allowance, then the steady pace: quick rounds for a few
    // assets, and no burst big enough to trip a per-minute limit.
    let rate = requestsPerMinute / 60
    let capacity = max(1, (requestsPerMinute / 2).rounded(.down))
    state = Mutex(
      State(breaker: breaker, bucket: TokenBucket(rate: rate, capacity: capacity, now: now)))
  }

  /// A place in the pace, or why there is none. A pause longer than `longestWait` fails the
  /// request at once, so a round moves on to the next source instead of hanging. The wait comes
  /// before the breaker's ticket (`admit`), so a long wait cannot outlive a probe's deadline.
  func reserve(now: ContinuousClock.Instant, longestWait: Duration) -> Reservation {
    state.withLock { state in
      if let until = state.pausedUntil, until - now > longestWait {
        state.stats.rejected += 1
        return .paused(remaining: until - now)
      }
      guard state.breaker.wait(now: now) == .zero else {
        state.stats.rejected += 1
        return .sidelined
      }
      var wait = state.bucket.take(now: now)
      if let until = state.pausedUntil, until > now { wait = max(wait, until - now) }
      return .wait(wait)
    }
  }

  /// The breaker's ticket for a request about to be sent, or nil when it says no (open, or a
  /// probe already in flight). The caller must `record` the ticket's outcome once.
  func admit(now: ContinuousClock.Instant) -> CircuitBreaker.Ticket? {
    state.withLock { state in
      switch state.breaker.decide(now: now) {
      case .reject:
        state.stats.rejected += 1
        return nil
      case .allow(let ticket), .probe(let ticket):
        state.stats.requests += 1
        return ticket
      }
    }
  }

  func record(_ outcome: Outcome, for ticket: CircuitBreaker.Ticket, now: ContinuousClock.Instant) {
    state.withLock { state in
      let verdict: CircuitBreaker.Outcome
      switch outcome {
      case .success:
        state.stats.successes += 1
        verdict = .success
      case .rateLimited:
        state.stats.rateLimited += 1
        verdict = .failure
      case .failure:
        state.stats.failures += 1
        verdict = .failure
      case .abandoned:
        verdict = .abandoned
      }
      state.breaker.record(verdict, for: ticket, now: now)
    }
  }

  /// Holds every request until `until` (a 429's Retry-After).
  func pause(until: ContinuousClock.Instant) {
    state.withLock { state in
      state.pausedUntil = max(state.pausedUntil ?? until, until)
    }
  }

  func countRetry() {
    state.withLock { $0.stats.retries += 1 }
  }

  var stats: PriceAPIStats {
    state.withLock { state in
      var stats = state.stats
      stats.breakerOpenings = state.breaker.openings
      stats.breakerOpen = state.breaker.isOpen
      return stats
    }
  }
}
