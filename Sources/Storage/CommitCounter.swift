import GRDB
import Synchronization

/// Counts committed write transactions, so a value computed from the database can tell
/// whether it is still current without reading it again.
final class CommitCounter: TransactionObserver, Sendable {
  private let commits = Atomic<UInt64>(0)

  var count: UInt64 { commits.load(ordering: .acquiring) }

  // Row events are not needed: every commit counts, whatever it changed.
  func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
  func databaseDidChange(with event: DatabaseEvent) {}

  func databaseDidCommit(_ db: Database) {
    commits.add(1, ordering: .releasing)
  }

  func databaseDidRollback(_ db: Database) {}
}
