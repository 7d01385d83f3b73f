import Metrics
import PortfolioCore

/// Poll cycles for `/metrics`, per chain: how many ran and failed, how long each took, how
/// many wallets were read.
enum PollMetrics {
  static func cycle(chain: ChainName, took: Duration, failed: Bool) {
    let dimensions = [("chain", chain.rawValue)]
    Counter(label: "portfolio_poll_cycles_total", dimensions: dimensions).increment()
    if failed { Counter(label: "portfolio_poll_cycle_failures_total", dimensions: dimensions).increment() }
    Timer(label: "portfolio_poll_cycle_duration_seconds", dimensions: dimensions)
      .recordNanoseconds(took.inNanoseconds)
  }

  static func walletsRead(chain: ChainName, count: Int) {
    guard count > 0 else { return }
    Counter(label: "portfolio_poll_wallets_read_total", dimensions: [("chain", chain.rawValue)])
      .increment(by: Int64(count))
  }
}
