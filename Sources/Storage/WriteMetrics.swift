import Metrics
import PortfolioCore

/// How long write transactions take, from their first statement to the end of the commit
/// (with `synchronous = FULL`, the disk flush): the figure that bounds how fast changes land.
enum WriteMetrics {
  static func record(since began: ContinuousClock.Instant) {
    Timer(label: "portfolio_sqlite_write_transaction_duration_seconds")
      .recordNanoseconds((ContinuousClock.now - began).inNanoseconds)
  }
}
