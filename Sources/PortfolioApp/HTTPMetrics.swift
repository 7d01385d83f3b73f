import Metrics
import PortfolioCore
import Synchronization
import WebServer

/// Counts and times every HTTP response by method, route template and status. Called on the
/// web server's thread, so each series' counter and timer are made once and then only looked
/// up.
final class HTTPMetrics: RequestObserver {
  private struct Series: Hashable {
    let method: String
    let route: String
    let status: Int
  }

  private let made = Mutex<[Series: (count: Counter, time: Timer)]>([:])

  func completed(method: HTTPMethod?, route: String?, status: Int, duration: Duration) {
    let series = Series(method: method?.rawValue ?? "other", route: route ?? "unmatched", status: status)
    let metrics = made.withLock { made in
      if let known = made[series] { return known }
      let new = (
        count: Counter(
          label: "portfolio_http_requests_total",
          dimensions: [("method", series.method), ("route", series.route), ("status", String(status))]),
        time: Timer(
          label: "portfolio_http_request_duration_seconds",
          dimensions: [("method", series.method), ("route", series.route)])
      )
      made[series] = new
      return new
    }
    metrics.count.increment()
    metrics.time.recordNanoseconds(duration.inNanoseconds)
  }
}
