public import Foundation
import GRDB
public import PortfolioCore

/// Whose events a replay reads: a user's (the `portfolio` topic) or one wallet's.
public enum EventScope: Sendable, Hashable {
  case user(UserID)
  case wallet(UUID)
}

/// Reads of the change log: a wallet's history, replays for the stream, and the latest `seq`.
public struct ChangeLog: Sendable {
  let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// The highest `seq` so far, 0 when nothing has changed yet.
  public func lastSeq() throws -> Int64 {
    try database.pool.read { db in try Self.lastSeq(db) }
  }

  /// Within a read: AUTOINCREMENT keeps the highest `seq` ever given in `sqlite_sequence`, so
  /// it stays right after changes are deleted with their wallet.
  static func lastSeq(_ db: Database) throws -> Int64 {
    try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'changes'")) ?? 0
  }

  /// The events after `seq` in `scope` (at most `limit`) in `seq` order, and the log's last
  /// `seq`, read together so nothing committed between the two reads is skipped. A wallet's
  /// own log holds its balance changes and its removal; a user's, every event of their wallets.
  public func replay(after seq: Int64, scope: EventScope, limit: Int) throws -> (
    events: [FeedEvent], last: Int64
  ) {
    try database.pool.read { db in try Self.replay(db, after: seq, scope: scope, limit: limit) }
  }

  static func replay(_ db: Database, after seq: Int64, scope: EventScope, limit: Int) throws -> (
    events: [FeedEvent], last: Int64
  ) {
    let changeFilter: String
    let eventFilter: String
    let key: any DatabaseValueConvertible
    switch scope {
    case .user(let owner):
      (changeFilter, eventFilter, key) = ("w.user_id = ?", "user_id = ?", owner)
    case .wallet(let id):
      (changeFilter, eventFilter, key) =
        ("c.wallet_id = ?", "wallet_id = ? AND kind = 'removed'", id.uuidString.lowercased())
    }
    let changes = try Row.fetchAll(
      db,
      sql: """
        SELECT c.*, w.user_id FROM changes c JOIN wallets w ON w.id = c.wallet_id
        WHERE c.seq > ? AND \(changeFilter) ORDER BY c.seq LIMIT ?
        """,
      arguments: [seq, key, limit]
    ).compactMap { try Self.change($0) }.map(FeedEvent.balance)
    let walletEvents = try Row.fetchAll(
      db, sql: "SELECT * FROM wallet_events WHERE seq > ? AND \(eventFilter) ORDER BY seq LIMIT ?",
      arguments: [seq, key, limit]
    ).compactMap(EventTransaction.event)
    var merged = Self.merge(changes, walletEvents)
    if case .user(let owner) = scope {
      let alerts = try Row.fetchAll(
        db, sql: "SELECT * FROM alert_events WHERE seq > ? AND user_id = ? ORDER BY seq LIMIT ?",
        arguments: [seq, owner, limit]
      ).compactMap(EventTransaction.alert)
      merged = Self.merge(merged, alerts)
    }
    return (Array(merged.prefix(limit)), try Self.lastSeq(db))
  }

  /// Two lists each in `seq` order, as one.
  static func merge(_ left: [FeedEvent], _ right: [FeedEvent]) -> [FeedEvent] {
    guard !right.isEmpty else { return left }
    guard !left.isEmpty else { return right }
    var merged: [FeedEvent] = []
    merged.reserveCapacity(left.count + right.count)
    var (i, j) = (0, 0)
    while i < left.count || j < right.count {
      if j == right.count || (i < left.count && left[i].seq < right[j].seq) {
        merged.append(left[i])
        i += 1
      } else {
        merged.append(right[j])
        j += 1
      }
    }
    return merged
  }

  /// A wallet's changes newest first, before `seq` (or from the newest when nil).
  public func history(walletID: UUID, before seq: Int64?, limit: Int) throws -> [BalanceChange] {
    try database.pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT c.*, w.user_id FROM changes c JOIN wallets w ON w.id = c.wallet_id
          WHERE c.wallet_id = ? AND c.seq < ? ORDER BY c.seq DESC LIMIT ?
          """,
        arguments: [walletID.uuidString.lowercased(), seq ?? Int64.max, limit]
      ).compactMap { try Self.change($0) }
    }
  }

  static func change(_ row: Row) throws -> BalanceChange? {
    let wallet: String = row["wallet_id"]
    guard let walletID = UUID(uuidString: wallet) else { return nil }
    let token: String = row["token"]
    let block: Int64? = row["block"]
    let symbol: String = row["symbol"]
    return BalanceChange(
      seq: row["seq"], walletID: walletID, owner: row["user_id"], chain: row["chain"],
      token: token.isEmpty ? nil : token,
      symbol: symbol, decimals: UInt8(clamping: row["decimals"] as Int),
      rawOld: try UnreadableAmount.amount(row["raw_old"], wallet: wallet, asset: symbol),
      rawNew: try UnreadableAmount.amount(row["raw_new"], wallet: wallet, asset: symbol),
      block: block.map { UInt64($0) }, at: Date(millisecondsSince1970: row["at"]))
  }

}
