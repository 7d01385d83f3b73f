import LiveUpdates
import PortfolioCore
import Storage
import Synchronization

/// The parts of `GET /api/v1/portfolio` that change only when the database does. Summing every
/// balance of every wallet costs milliseconds at a thousand wallets; it is done once per
/// database generation, and requests in between answer from memory.
final class PortfolioTotalsCache: Sendable {
  struct Totals: Sendable {
    let wallets: Int
    let seq: Int64
    let totals: JSONValue
    /// The money summary: see `Valuation.Summary`.
    let value: JSONValue
  }

  private let database: AppDatabase
  private let cached = Mutex<(generation: UInt64, totals: Totals)?>(nil)

  init(database: AppDatabase) {
    self.database = database
  }

  /// The totals when they are current, without reading the database otherwise.
  func currentIfCached() -> Totals? {
    let generation = database.generation
    guard let hit = cached.withLock({ $0 }), hit.generation == generation else { return nil }
    return hit.totals
  }

  func current() throws -> Totals {
    if let hit = currentIfCached() { return hit }
    // The generation is read before the data: a commit in between makes the stored value
    // stale at once, never a stale value look current.
    let generation = database.generation
    let summary = PortfolioSummary.totals(
      try AssetTotals(database).current(), prices: try PriceStore(database).current())
    let totals = Totals(
      wallets: try WalletStore(database).count(), seq: try ChangeLog(database).lastSeq(),
      totals: summary.totals, value: summary.value)
    cached.withLock { entry in
      if (entry?.generation ?? 0) <= generation { entry = (generation, totals) }
    }
    return totals
  }
}
