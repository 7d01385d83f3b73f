import Synchronization

/// How long stamped frames took from their stamp (for stream diffs: the poller's read) to
/// being written to the socket. Keeps the last `capacity` samples.
public final class FrameLatency: Sendable {
  public struct Summary: Sendable, Equatable {
    public let count: Int
    public let p50: Duration
    public let p99: Duration
    public let max: Duration
  }

  private let capacity: Int
  private let samples = Mutex<(values: [Duration], next: Int, total: Int)>(([], 0, 0))

  public init(capacity: Int = 100_000) {
    self.capacity = capacity
  }

  func record(_ latency: Duration) {
    samples.withLock { state in
      if state.values.count < capacity {
        state.values.append(latency)
      } else {
        state.values[state.next] = latency
        state.next = (state.next + 1) % capacity
      }
      state.total += 1
    }
  }

  public var summary: Summary? {
    let (values, total) = samples.withLock { ($0.values, $0.total) }
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    func percentile(_ p: Double) -> Duration { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
    return Summary(count: total, p50: percentile(0.5), p99: percentile(0.99), max: sorted[sorted.count - 1])
  }
}
