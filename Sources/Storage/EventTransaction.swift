public import Foundation
import GRDB
public import PortfolioCore

/// The writes that make events, inside one open transaction: valid only within the closure
/// that `AppDatabase.commitEvents` or a store hands it to.
public struct EventTransaction {
  let db: Database

  /// Inserts the wallet and logs `wallet_added`; throws `WalletExists` when its user tracks
  /// its chain and address already.
  public func addWallet(_ wallet: Wallet) throws -> FeedEvent {
    if let existing = try existingWallet(owner: wallet.owner, chain: wallet.chain, address: wallet.address) {
      throw WalletExists(existing: existing)
    }
    let record = WalletRecord(wallet)
    try record.insert(db)
    let stored = record.wallet ?? wallet
    return .walletAdded(seq: try logWalletEvent("added", stored), wallet: stored)
  }

  /// The user's wallet at this chain and address, if any.
  public func existingWallet(owner: UserID, chain: ChainName, address: String) throws -> Wallet? {
    // Compiled once per connection: an import asks this for every row.
    let statement = try db.cachedStatement(
      sql: "SELECT * FROM wallets WHERE user_id = ? AND chain = ? AND address = ?")
    return try WalletRecord.fetchOne(statement, arguments: [owner, chain, address])?.wallet
  }

  /// Deletes the wallet with its balances and history and logs `wallet_removed`; nil when it
  /// did not exist or (with `owner`) is another user's.
  public func removeWallet(id: UUID, owner: UserID?) throws -> FeedEvent? {
    let key = id.uuidString.lowercased()
    guard let wallet = try WalletRecord.fetchOne(db, key: key)?.wallet, owner == nil || wallet.owner == owner
    else { return nil }
    // Its changes leave the portfolio's history with it, as if it had never been tracked.
    var totals = HourlyTotalsBatch()
    try totals.removeChanges(ofWallet: key, db)
    try totals.write(db)
    try WalletRecord.deleteOne(db, key: key)
    let now = Date()
    return .walletRemoved(seq: try logWalletEvent("removed", wallet, at: now), wallet: wallet, at: now)
  }

  /// Stores a fresh reading of some wallets: see `BalanceStore.apply`.
  public func applyReadings(chain: ChainName, _ readings: [StoredBalance]) throws -> [BalanceChange] {
    try BalanceStore.apply(db, chain: chain, readings: readings)
  }

  /// Gives the event the next `seq` of the change log's sequence, so balance changes and
  /// wallet events share one order.
  private func logWalletEvent(_ kind: String, _ wallet: Wallet, at time: Date = Date()) throws -> Int64 {
    let seq = try takeSeq()
    try db.cachedStatement(
      sql: """
        INSERT INTO wallet_events
          (seq, kind, wallet_id, user_id, chain, address, label, created_at, updated_at, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      seq, kind, wallet.id.uuidString.lowercased(), wallet.owner, wallet.chain, wallet.address, wallet.label,
      wallet.createdAt.millisecondsSince1970, wallet.updatedAt.millisecondsSince1970,
      time.millisecondsSince1970,
    ])
    return seq
  }

  /// The next `seq` of the change log's sequence, for an event kept outside `changes`.
  func takeSeq() throws -> Int64 {
    let seq = try ChangeLog.lastSeq(db) + 1
    // The next balance change must come after this event: AUTOINCREMENT continues from here.
    try db.cachedStatement(sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'changes'")
      .execute(arguments: [seq])
    if db.changesCount == 0 {
      try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('changes', ?)", arguments: [seq])
    }
    return seq
  }

  static func event(_ row: Row) -> FeedEvent? {
    guard let id = UUID(uuidString: row["wallet_id"]) else { return nil }
    let wallet = Wallet(
      id: id, owner: row["user_id"], chain: row["chain"], address: row["address"], label: row["label"],
      createdAt: Date(millisecondsSince1970: row["created_at"]),
      updatedAt: Date(millisecondsSince1970: row["updated_at"]))
    let seq: Int64 = row["seq"]
    return (row["kind"] as String) == "removed"
      ? .walletRemoved(seq: seq, wallet: wallet, at: Date(millisecondsSince1970: row["at"]))
      : .walletAdded(seq: seq, wallet: wallet)
  }
}

extension AppDatabase {
  /// Runs `work` in one write transaction, then, after the commit and before any later write
  /// can begin, hands its result to `afterCommit`. Writes are serialized, so what
  /// `afterCommit` sees arrives in commit order. Runs off the cooperative thread pool.
  public func commitEvents<T: Sendable>(
    _ work: @escaping @Sendable (EventTransaction) throws -> T,
    afterCommit: @escaping @Sendable (T) -> Void
  ) async throws -> T {
    try await pool.writeWithoutTransaction { db in
      var result: T?
      let began = ContinuousClock.now
      try db.inTransaction(.immediate) {
        result = try work(EventTransaction(db: db))
        return .commit
      }
      WriteMetrics.record(since: began)
      guard let result else { throw DatabaseError(resultCode: .SQLITE_ERROR, message: "no result") }
      afterCommit(result)
      return result
    }
  }

  /// The same without publishing, for callers that write before anyone listens.
  func writeEvents<T>(_ work: (EventTransaction) throws -> T) throws -> T {
    try write { db in try work(EventTransaction(db: db)) }
  }
}
