/// Exponential backoff with full jitter (AWS architecture blog's "Full Jitter"): the wait is
/// uniform in [0, min(cap, base·2^attempt)], which spreads clients out instead of having them
/// retry in lock step. A server's Retry-After is a floor.
public struct RetryPolicy: Sendable, Equatable {
  /// Tries in all, the first included.
  public var maxAttempts: Int
  public var baseDelay: Duration
  public var maxDelay: Duration
  /// Longest Retry-After honoured; a node asking for more is treated as down for now.
  public var maxRetryAfter: Duration

  public init(
    maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5),
    maxRetryAfter: Duration = .seconds(30)
  ) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.maxRetryAfter = maxRetryAfter
  }

  /// The wait before retry number `attempt` (0 for the first retry), or nil when no retry is
  /// left. `unitRandom` is in [0, 1).
  public func delay(beforeRetry attempt: Int, retryAfter: Duration?, unitRandom: Double) -> Duration? {
    guard attempt + 1 < maxAttempts else { return nil }
    if let retryAfter, retryAfter > maxRetryAfter { return nil }
    let exponential = baseDelay * Double(1 << min(attempt, 30))
    let ceiling = min(maxDelay, exponential)
    let jittered = ceiling * max(0, min(unitRandom, 1))
    guard let retryAfter else { return jittered }
    return max(retryAfter, jittered)
  }
}
