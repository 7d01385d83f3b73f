import PortfolioCore

/// A token bucket: `rate` requests a second on average, bursts up to `capacity`. A value type
/// driven by the caller's clock; `take` says how long to wait for a token.
public struct TokenBucket: Sendable, Equatable {
  public let rate: Double
  public let capacity: Double
  private var tokens: Double
  private var updated: ContinuousClock.Instant

  /// `rate` 0 means unlimited.
  public init(rate: Double, capacity: Double? = nil, now: ContinuousClock.Instant) {
    self.rate = rate
    self.capacity = capacity ?? max(1, rate)
    self.tokens = self.capacity
    self.updated = now
  }

  /// Takes a token now, or reserves the next one and returns the wait until it is due.
  public mutating func take(now: ContinuousClock.Instant) -> Duration {
    guard rate > 0 else { return .zero }
    let elapsed = now - updated
    let seconds = elapsed.inSeconds
    tokens = min(capacity, tokens + max(0, seconds) * rate)
    updated = now
    tokens -= 1
    guard tokens < 0 else { return .zero }
    return .milliseconds(Int((-tokens / rate * 1000).rounded(.up)))
  }
}
