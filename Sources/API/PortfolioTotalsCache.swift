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
  private let cached = Mutex<[UserID: (generation: UInt64, totals: Totals)]>([:])

  init(database: AppDatabase) {
    self.database = database
  }

  /// The user's totals when they are current, without reading the database otherwise.
  func currentIfCached(owner: UserID) -> Totals? {
    let generation = database.generation
    guard let hit = cached.withLock({ $0[owner] }), hit.generation == generation else { return nil }
    return hit.totals
  }

  func current(owner: UserID) throws -> Totals {
    if let hit = currentIfCached(owner: owner) { return hit }
    // The generation is read before the data: a commit in between makes the stored value
    // stale at once, never a stale value look current.
    let generation = database.generation
    let summary = PortfolioSummary.totals(
      try AssetTotals(database).current(owner: owner), prices: try PriceStore(database).current())
    let totals = Totals(
      wallets: try WalletStore(database).count(owner: owner), seq: try ChangeLog(database).lastSeq(),
      totals: summary.totals, value: summary.value)
    cached.withLock { cached in
      // Entries of an older generation are useless: dropping them keeps the cache small.
      cached = cached.filter { $0.value.generation >= generation }
      if (cached[owner]?.generation ?? 0) <= generation { cached[owner] = (generation, totals) }
    }
    return totals
  }
}
