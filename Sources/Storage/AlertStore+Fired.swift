public import Foundation
import GRDB
public import PortfolioCore

extension AlertStore {
  /// The user's fired alerts, newest first: up to `limit` before `seq` (all when nil), and
  /// optionally of one rule.
  public func fired(owner: UserID, rule: UUID? = nil, before seq: Int64?, limit: Int) throws -> [FiredAlert] {
    try database.pool.read { db in
      var sql = "SELECT * FROM alert_events WHERE user_id = ? AND seq < ?"
      var arguments: StatementArguments = [owner, seq ?? Int64.max]
      if let rule {
        sql += " AND rule_id = ?"
        _ = arguments.append(contentsOf: [rule.uuidString.lowercased()])
      }
      sql += " ORDER BY seq DESC LIMIT ?"
      _ = arguments.append(contentsOf: [limit])
      return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
        if case .alert(let fired)? = EventTransaction.alert(row) { fired } else { nil }
      }
    }
  }

  /// When each of the user's rules last fired, by rule.
  public func lastFired(owner: UserID) throws -> [UUID: Date] {
    try database.pool.read { db in
      var times: [UUID: Date] = [:]
      for row in try Row.fetchAll(
        db, sql: "SELECT rule_id, max(at) AS at FROM alert_events WHERE user_id = ? GROUP BY rule_id",
        arguments: [owner])
      {
        if let id = UUID(uuidString: row["rule_id"]) { times[id] = Date(millisecondsSince1970: row["at"]) }
      }
      return times
    }
  }
}
