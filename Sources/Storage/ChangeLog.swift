public import Foundation
import GRDB
import PortfolioCore

/// Reads of the change log: a wallet's history, replays for the stream, and the latest `seq`.
public struct ChangeLog: Sendable {
  private let database: AppDatabase

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
    try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'changes'") ?? 0
  }

  /// The changes after `seq` (of one wallet or all, at most `limit`) and the log's last `seq`,
  /// read together so nothing committed between the two reads is skipped.
  public func replay(after seq: Int64, walletID: UUID?, limit: Int) throws -> (
    changes: [BalanceChange], last: Int64
  ) {
    try database.pool.read { db in
      var sql = "SELECT * FROM changes WHERE seq > ?"
      var arguments: StatementArguments = [seq]
      if let walletID {
        sql += " AND wallet_id = ?"
        arguments += [walletID.uuidString.lowercased()]
      }
      sql += " ORDER BY seq LIMIT ?"
      arguments += [limit]
      let changes = try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap(Self.change)
      return (changes, try Self.lastSeq(db))
    }
  }

  /// A wallet's changes newest first, before `seq` (or from the newest when nil).
  public func history(walletID: UUID, before seq: Int64?, limit: Int) throws -> [BalanceChange] {
    try database.pool.read { db in
      try Row.fetchAll(
        db,
        sql: "SELECT * FROM changes WHERE wallet_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
        arguments: [walletID.uuidString.lowercased(), seq ?? Int64.max, limit]
      ).compactMap(Self.change)
    }
  }

  static func change(_ row: Row) -> BalanceChange? {
    guard let walletID = UUID(uuidString: row["wallet_id"]) else { return nil }
    let token: String = row["token"]
    let block: Int64? = row["block"]
    return BalanceChange(
      seq: row["seq"], walletID: walletID, chain: row["chain"], token: token.isEmpty ? nil : token,
      symbol: row["symbol"], decimals: UInt8(clamping: row["decimals"] as Int), rawOld: row["raw_old"],
      rawNew: row["raw_new"], block: block.map { UInt64($0) }, at: Date(millisecondsSince1970: row["at"]))
  }
}
