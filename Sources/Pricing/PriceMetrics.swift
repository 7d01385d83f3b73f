import Metrics
import PortfolioCore

/// Price refreshes for `/metrics`, per source asked: `ok`, `partial` (answered, with problems
/// such as a stale feed) or `failed` (skipped for the next source).
enum PriceMetrics {
  static func refreshed(_ source: PriceSourceKind, outcome: String) {
    Counter(
      label: "portfolio_price_refreshes_total",
      dimensions: [("source", source.rawValue), ("outcome", outcome)]
    ).increment()
  }
}
