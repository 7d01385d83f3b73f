import PortfolioCore
import Synchronization

/// What happened at one endpoint, for health and metrics.
public struct EndpointStats: Sendable, Equatable {
  /// Redacted: no credentials, query or key-like path segments.
  public var url: String
  public var requests = 0
  public var successes = 0
  public var retries = 0
  public var transportErrors = 0
  public var timeouts = 0
  public var rateLimited = 0
  public var serverErrors = 0
  public var malformed = 0
  /// Requests whose caller went away before an answer.
  public var cancelled = 0
  public var breakerOpenings = 0
  public var breakerOpen = false
  public var breaker = CircuitBreaker.Position.closed
}

/// One node URL with its circuit breaker, rate limit and counters.
final class RPCEndpoint: Sendable {
  let url: String
  /// The URL as errors, logs and health show it: it may carry an API key.
  let shownURL: String
  private let state: Mutex<State>

  private struct State {
    var breaker: CircuitBreaker
    var bucket: TokenBucket
    var stats: EndpointStats
  }

  enum Outcome {
    case success
    case transport
    case timeout
    case rateLimited
    case serverError
    case malformed
    /// The caller went away before an answer.
    case cancelled
  }

  /// A request let through, with the breaker ticket its outcome must be reported against.
  struct Admission {
    let endpoint: RPCEndpoint
    let ticket: CircuitBreaker.Ticket
    /// How long to wait for the rate limit before sending.
    let wait: Duration
  }

  init(url: String, breaker: CircuitBreaker, requestsPerSecond: Double) {
    self.url = url
    shownURL = URLRedaction.redact(url)
    state = Mutex(
      State(
        breaker: breaker, bucket: TokenBucket(rate: requestsPerSecond, now: .now),
        stats: EndpointStats(url: shownURL)))
  }

  /// Lets a request through now, or nil when the breaker says no. The caller must `record`
  /// the admission's outcome exactly once, whatever happens to the request.
  func admit(now: ContinuousClock.Instant) -> Admission? {
    state.withLock { state in
      switch state.breaker.decide(now: now) {
      case .reject: return nil
      case .allow(let ticket), .probe(let ticket):
        state.stats.requests += 1
        return Admission(endpoint: self, ticket: ticket, wait: state.bucket.take(now: now))
      }
    }
  }

  /// The statistic each outcome counts in.
  private static func counter(of outcome: Outcome) -> WritableKeyPath<EndpointStats, Int> {
    switch outcome {
    case .success: \.successes
    case .cancelled: \.cancelled
    case .transport: \.transportErrors
    case .timeout: \.timeouts
    case .rateLimited: \.rateLimited
    case .serverError: \.serverErrors
    case .malformed: \.malformed
    }
  }

  func record(_ outcome: Outcome, for ticket: CircuitBreaker.Ticket, now: ContinuousClock.Instant) {
    state.withLock { state in
      state.stats[keyPath: Self.counter(of: outcome)] += 1
      let verdict: CircuitBreaker.Outcome =
        switch outcome {
        case .success: .success
        // A request given up on tells nothing about the node.
        case .cancelled: .abandoned
        case .transport, .timeout, .rateLimited, .serverError, .malformed: .failure
        }
      state.breaker.record(verdict, for: ticket, now: now)
    }
  }

  /// How long until the breaker lets a request through.
  func breakerWait(now: ContinuousClock.Instant) -> Duration {
    state.withLock { $0.breaker.wait(now: now) }
  }

  func countRetry() {
    state.withLock { $0.stats.retries += 1 }
  }

  var stats: EndpointStats {
    state.withLock { state in
      var stats = state.stats
      stats.breakerOpenings = state.breaker.openings
      stats.breakerOpen = state.breaker.isOpen
      stats.breaker = state.breaker.position
      return stats
    }
  }
}
