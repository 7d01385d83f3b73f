public import Foundation
import GRDB
public import PortfolioCore

/// Reads and writes alert rules.
public struct AlertStore: Sendable {
  let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  public func create(_ rule: AlertRule) throws -> AlertRule {
    try database.write { db in
      try Self.save(rule, db, inserting: true)
      return rule
    }
  }

  public func list(owner: UserID) throws -> [AlertRule] {
    try database.pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM alert_rules WHERE user_id = ? ORDER BY created_at, id", arguments: [owner]
      ).compactMap(Self.rule)
    }
  }

  /// The user's rule; another user's is as unknown as a missing one.
  public func rule(id: UUID, owner: UserID) throws -> AlertRule? {
    try database.pool.read { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM alert_rules WHERE id = ?", arguments: [id.uuidString.lowercased()]
      )
      .flatMap(Self.rule).flatMap { $0.owner == owner ? $0 : nil }
    }
  }

  public func update(
    id: UUID, owner: UserID, at time: Date = Date(), _ change: (inout AlertRule) throws -> Void
  )
    throws -> AlertRule?
  {
    try database.write { db in
      guard
        var rule = try Row.fetchOne(
          db, sql: "SELECT * FROM alert_rules WHERE id = ?", arguments: [id.uuidString.lowercased()]
        ).flatMap(Self.rule), rule.owner == owner
      else { return nil }
      try change(&rule)
      rule.updatedAt = time
      try Self.save(rule, db, inserting: false)
      return rule
    }
  }

  public func delete(id: UUID, owner: UserID) throws -> Bool {
    try database.write { db in
      try db.execute(
        sql: "DELETE FROM alert_rules WHERE id = ? AND user_id = ?",
        arguments: [id.uuidString.lowercased(), owner])
      return db.changesCount > 0
    }
  }

  static func save(_ rule: AlertRule, _ db: Database, inserting: Bool) throws {
    let values: [(any DatabaseValueConvertible)?] = [
      rule.owner, rule.name, rule.kind.rawValue, rule.walletID?.uuidString.lowercased(), rule.asset,
      rule.threshold,
      rule.percent, rule.direction?.rawValue, rule.enabled, rule.beyond, rule.createdAt.millisecondsSince1970,
      rule.updatedAt.millisecondsSince1970, rule.id.uuidString.lowercased(),
    ]
    let columns = [
      "user_id", "name", "kind", "wallet_id", "asset", "threshold", "percent", "direction", "enabled",
      "beyond",
      "created_at", "updated_at", "id",
    ]
    if inserting {
      let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
      try db.execute(
        sql: "INSERT INTO alert_rules (\(columns.joined(separator: ", "))) VALUES (\(marks))",
        arguments: StatementArguments(values))
    } else {
      let assignments = columns.dropLast().map { "\($0) = ?" }.joined(separator: ", ")
      try db.execute(
        sql: "UPDATE alert_rules SET \(assignments) WHERE id = ?", arguments: StatementArguments(values))
    }
  }

  static func rule(_ row: Row) -> AlertRule? {
    guard let id = UUID(uuidString: row["id"]), let kind = AlertKind(rawValue: row["kind"]) else {
      return nil
    }
    let wallet: String? = row["wallet_id"]
    let direction: String? = row["direction"]
    var rule = AlertRule(
      id: id, owner: row["user_id"], name: row["name"], kind: kind,
      walletID: wallet.flatMap(UUID.init(uuidString:)),
      asset: row["asset"], threshold: row["threshold"], percent: row["percent"],
      direction: direction.flatMap(AlertDirection.init(rawValue:)),
      at: Date(millisecondsSince1970: row["created_at"]))
    rule.enabled = row["enabled"]
    rule.beyond = row["beyond"]
    rule.updatedAt = Date(millisecondsSince1970: row["updated_at"])
    return rule
  }
}

extension EventTransaction {
  /// The enabled rules of these users (of every user with value rules when `owners` is nil).
  public func alertRules(of owners: Set<UserID>?) throws -> [AlertRule] {
    let rows: [Row]
    if let owners {
      guard !owners.isEmpty else { return [] }
      let marks = Array(repeating: "?", count: owners.count).joined(separator: ",")
      rows = try Row.fetchAll(
        db, sql: "SELECT * FROM alert_rules WHERE enabled AND user_id IN (\(marks))",
        arguments: StatementArguments(owners.map(\.rawValue)))
    } else {
      rows = try Row.fetchAll(
        db, sql: "SELECT * FROM alert_rules WHERE enabled AND kind IN ('value_above', 'value_below')")
    }
    return rows.compactMap(AlertStore.rule)
  }

  /// Remembers where a value rule's value stood.
  public func setAlertState(_ rule: UUID, beyond: Bool) throws {
    try db.execute(
      sql: "UPDATE alert_rules SET beyond = ? WHERE id = ?",
      arguments: [beyond, rule.uuidString.lowercased()])
  }

  /// Logs an alert with the next `seq` of the change log's sequence.
  public func logAlert(
    owner: UserID, rule: UUID, title: String, message: String, data: JSONValue, at time: Date
  ) throws -> FeedEvent {
    let seq = try takeSeq()
    try db.execute(
      sql:
        "INSERT INTO alert_events (seq, user_id, rule_id, title, message, data, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      arguments: [
        seq, owner, rule.uuidString.lowercased(), title, message,
        String(decoding: data.jsonBytes, as: UTF8.self),
        time.millisecondsSince1970,
      ])
    return .alert(
      FiredAlert(seq: seq, owner: owner, ruleID: rule, title: title, message: message, data: data, at: time))
  }

  static func alert(_ row: Row) -> FeedEvent? {
    guard let rule = UUID(uuidString: row["rule_id"]) else { return nil }
    let text: String = row["data"]
    let data = (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null
    return .alert(
      FiredAlert(
        seq: row["seq"], owner: row["user_id"], ruleID: rule, title: row["title"], message: row["message"],
        data: data, at: Date(millisecondsSince1970: row["at"])))
  }
}
