/// How long a chain poller waits before its next tick.
///
/// After failures the wait doubles, but never beyond one interval plus the circuit breaker's
/// cool-down: the breaker already spares a failing node (while open, calls fail without a
/// request; one probe per cool-down), so a longer wait protects nothing and only delays
/// noticing that the node is back. While the breaker is open the wait is at least the rest
/// of its cool-down, so the tick after it is the probe rather than a refused call followed
/// by a longer wait. Together the next read after a recovery comes within
/// `interval + coolDown`.
public enum PollBackoff {
  /// `breakerWait` is how long until the chain's breaker lets a request through.
  public static func delay(
    afterFailures failures: Int, interval: Duration, coolDown: Duration, breakerWait: Duration = .zero
  ) -> Duration {
    guard failures > 0 else { return interval }
    let ceiling = interval + max(.zero, coolDown)
    // 2^20 intervals is past any ceiling; the cap keeps the shift from overflowing.
    let doubled = min(ceiling, interval * Double(1 << min(failures, 20)))
    return max(doubled, min(ceiling, breakerWait))
  }
}
