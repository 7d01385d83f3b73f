/// When a failed delivery is tried again: exponential backoff from `initial`, at most
/// `maxInterval` apart, with jitter so endpoints that failed together do not retry together;
/// an endpoint failing for `giveUpAfter` is disabled.
public struct RetrySchedule: Sendable {
  public var initial: Duration
  public var maxInterval: Duration
  public var giveUpAfter: Duration

  public init(
    initial: Duration = .seconds(5), maxInterval: Duration = .seconds(3600),
    giveUpAfter: Duration = .seconds(86400)
  ) {
    self.initial = initial
    self.maxInterval = maxInterval
    self.giveUpAfter = giveUpAfter
  }

  /// The wait after the `attempt`th failure (1 for the first): between half and all of the
  /// doubled interval.
  public func delay(afterAttempt attempt: Int) -> Duration {
    let doublings = min(max(attempt - 1, 0), 30)
    let full = min(initial * (1 << doublings), maxInterval)
    return full * Double.random(in: 0.5...1.0)
  }
}
