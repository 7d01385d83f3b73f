import Synchronization

/// What happened at one endpoint, for health and metrics.
public struct EndpointStats: Sendable, Equatable {
  public var url: String
  public var requests = 0
  public var successes = 0
  public var retries = 0
  public var transportErrors = 0
  public var timeouts = 0
  public var rateLimited = 0
  public var serverErrors = 0
  public var malformed = 0
  public var breakerOpenings = 0
  public var breakerOpen = false
}

/// One node URL with its circuit breaker, rate limit and counters.
final class RPCEndpoint: Sendable {
  let url: String
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
  }

  init(url: String, breaker: CircuitBreaker, requestsPerSecond: Double) {
    self.url = url
    state = Mutex(
      State(
        breaker: breaker, bucket: TokenBucket(rate: requestsPerSecond, now: .now),
        stats: EndpointStats(url: url)))
  }

  /// Whether a request may go out now, and how long to wait for the rate limit if so.
  func admit(now: ContinuousClock.Instant) -> Duration? {
    state.withLock { state in
      switch state.breaker.decide(now: now) {
      case .reject: return nil
      case .allow, .probe:
        state.stats.requests += 1
        return state.bucket.take(now: now)
      }
    }
  }

  func record(_ outcome: Outcome, retrying: Bool, now: ContinuousClock.Instant) {
    state.withLock { state in
      switch outcome {
      case .success:
        state.breaker.recordSuccess()
        state.stats.successes += 1
      case .transport: state.stats.transportErrors += 1
      case .timeout: state.stats.timeouts += 1
      case .rateLimited: state.stats.rateLimited += 1
      case .serverError: state.stats.serverErrors += 1
      case .malformed: state.stats.malformed += 1
      }
      if outcome != .success { state.breaker.recordFailure(now: now) }
      if retrying { state.stats.retries += 1 }
    }
  }

  var stats: EndpointStats {
    state.withLock { state in
      var stats = state.stats
      stats.breakerOpenings = state.breaker.openings
      if case .open = state.breaker.state { stats.breakerOpen = true }
      return stats
    }
  }
}
