import Storage
import Synchronization
import WebServer

/// One answer kept for a tenth of a second while the database is unchanged: the resolution of
/// the lag figures it carries. Dashboards polling together then cost one encoding, not one each.
final class RecentAnswer: Sendable {
  static let lifetime: Duration = .milliseconds(100)

  private let entry = Mutex<(generation: UInt64, madeAt: ContinuousClock.Instant, response: HTTPResponse)?>(
    nil)

  func answer(generation: UInt64) -> HTTPResponse? {
    entry.withLock { kept in
      guard let kept, kept.generation == generation, ContinuousClock.now - kept.madeAt < Self.lifetime else {
        return nil
      }
      return kept.response
    }
  }

  /// `generation` must have been read before the data behind the response.
  func keep(_ response: HTTPResponse, generation: UInt64) {
    entry.withLock { $0 = (generation, .now, response) }
  }
}
