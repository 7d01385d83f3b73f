/// Stops sending to an endpoint that keeps failing, then lets one probe through after a
/// cool-down. A value type driven by the caller's clock, so it is tested without I/O.
public struct CircuitBreaker: Sendable, Equatable {
  public enum State: Sendable, Equatable {
    case closed(consecutiveFailures: Int)
    case open(until: ContinuousClock.Instant)
    /// One probe is in flight; everyone else waits for its outcome.
    case halfOpen
  }

  public enum Decision: Sendable, Equatable {
    case allow
    /// Send one request to test the endpoint.
    case probe
    case reject
  }

  public private(set) var state: State = .closed(consecutiveFailures: 0)
  public let failureThreshold: Int
  public let coolDown: Duration
  /// Times the breaker opened, for metrics.
  public private(set) var openings = 0

  public init(failureThreshold: Int = 5, coolDown: Duration = .seconds(10)) {
    self.failureThreshold = failureThreshold
    self.coolDown = coolDown
  }

  public mutating func decide(now: ContinuousClock.Instant) -> Decision {
    switch state {
    case .closed:
      return .allow
    case .open(let until) where now >= until:
      state = .halfOpen
      return .probe
    case .open, .halfOpen:
      return .reject
    }
  }

  public mutating func recordSuccess() {
    state = .closed(consecutiveFailures: 0)
  }

  public mutating func recordFailure(now: ContinuousClock.Instant) {
    switch state {
    case .closed(let failures) where failures + 1 < failureThreshold:
      state = .closed(consecutiveFailures: failures + 1)
    case .closed, .halfOpen:
      state = .open(until: now + coolDown)
      openings += 1
    case .open:
      break
    }
  }
}
