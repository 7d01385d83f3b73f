import PortfolioCore
import Storage
import Synchronization
import WebServer

/// One answer per user kept for a tenth of a second while the database is unchanged: the
/// resolution of the lag figures it carries. Dashboards polling together then cost one
/// encoding, not one each.
final class RecentAnswer: Sendable {
  static let lifetime: Duration = .milliseconds(100)

  private let entries = Mutex<
    [UserID: (generation: UInt64, madeAt: ContinuousClock.Instant, response: HTTPResponse)]
  >([:])

  func answer(owner: UserID, generation: UInt64) -> HTTPResponse? {
    entries.withLock { entries in
      guard let kept = entries[owner], kept.generation == generation,
        ContinuousClock.now - kept.madeAt < Self.lifetime
      else {
        return nil
      }
      return kept.response
    }
  }

  /// `generation` must have been read before the data behind the response.
  func keep(_ response: HTTPResponse, owner: UserID, generation: UInt64) {
    entries.withLock { entries in
      // Only recent answers are worth keeping: a tenth of a second later each is stale anyway.
      if entries.count > 1000 { entries = [:] }
      entries[owner] = (generation, .now, response)
    }
  }
}
