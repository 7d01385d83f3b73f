import Metrics
import PortfolioCore
import Storage

/// What the change feed published, for `/metrics`: balance changes per chain (each one a line
/// of some subscriber's diff) and the stream frames made of all events.
enum FeedMetrics {
  static func published(events: [FeedEvent], frames: Int) {
    var changes: [ChainName: Int64] = [:]
    for case .balance(let change) in events { changes[change.chain, default: 0] += 1 }
    for (chain, count) in changes {
      Counter(label: "portfolio_diffs_published_total", dimensions: [("chain", chain.rawValue)])
        .increment(by: count)
    }
    if frames > 0 {
      Counter(label: "portfolio_stream_frames_published_total").increment(by: Int64(frames))
    }
  }
}
