public import Foundation
import GRDB
public import PortfolioCore

/// Reads and writes the endpoints events are sent to (webhooks and push subscriptions) and
/// their delivery log.
public struct WebhookStore: Sendable {
  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// Stores a new endpoint; it is sent events from the log's current end on.
  public func create(_ make: (_ cursor: Int64) -> Webhook) throws -> Webhook {
    try database.write { db in
      let webhook = make(try ChangeLog.lastSeq(db))
      try Self.save(webhook, db, inserting: true)
      return webhook
    }
  }

  public func list(owner: UserID, kind: EndpointKind = .webhook) throws -> [Webhook] {
    try database.pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM webhooks WHERE user_id = ? AND kind = ? ORDER BY created_at, id",
        arguments: [owner, kind.rawValue]
      ).compactMap(Self.webhook)
    }
  }

  /// Every enabled endpoint, for the delivery worker.
  public func enabled() throws -> [Webhook] {
    try database.pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM webhooks WHERE enabled ORDER BY created_at, id").compactMap(
        Self.webhook)
    }
  }

  /// The user's endpoint (of `kind`, when given); another user's is as unknown as a missing one.
  public func webhook(id: UUID, owner: UserID? = nil, kind: EndpointKind? = nil) throws -> Webhook? {
    try database.pool.read { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM webhooks WHERE id = ?", arguments: [id.uuidString.lowercased()]
      )
      .flatMap(Self.webhook)
      .flatMap { (owner == nil || $0.owner == owner) && (kind == nil || $0.kind == kind) ? $0 : nil }
    }
  }

  /// Changes the user's endpoint with `change`; nil when they have none such.
  public func update(
    id: UUID, owner: UserID, kind: EndpointKind = .webhook, at time: Date = Date(),
    _ change: (inout Webhook) throws -> Void
  ) throws -> Webhook? {
    try database.write { db in
      guard
        var webhook = try Row.fetchOne(
          db, sql: "SELECT * FROM webhooks WHERE id = ?", arguments: [id.uuidString.lowercased()]
        ).flatMap(Self.webhook), webhook.owner == owner, webhook.kind == kind
      else { return nil }
      try change(&webhook)
      webhook.updatedAt = time
      try Self.save(webhook, db, inserting: false)
      return webhook
    }
  }

  /// Removes the endpoints at this URL of every user but `owner`.
  public func removeEndpoint(_ url: String, kind: EndpointKind, exceptOwner owner: UserID) throws {
    try database.write { db in
      try db.execute(
        sql: "DELETE FROM webhooks WHERE url = ? AND kind = ? AND user_id != ?",
        arguments: [url, kind.rawValue, owner])
    }
  }

  /// Removes an endpoint its service said is gone (a push subscription answered 404 or 410).
  public func remove(id: UUID) throws {
    try database.write { db in
      try db.execute(sql: "DELETE FROM webhooks WHERE id = ?", arguments: [id.uuidString.lowercased()])
    }
  }

  /// The server's VAPID private key (base64url), made by `make` the first time it is asked for.
  public func vapidPrivateKey(make: () -> String) throws -> String {
    try database.write { db in
      if let key = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'vapid_private_key'") {
        return key
      }
      let key = make()
      try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('vapid_private_key', ?)", arguments: [key])
      return key
    }
  }

  /// Saves the delivery worker's state of a webhook (cursor, pending event, attempts).
  public func saveProgress(_ webhook: Webhook) throws {
    try database.write { db in try Self.saveProgress(webhook, db) }
  }

  static func saveProgress(_ webhook: Webhook, _ db: Database) throws {
    try db.execute(
      sql: """
        UPDATE webhooks SET cursor = ?, pending_seq = ?, attempts = ?, next_attempt_at = ?, failing_since = ?,
          enabled = ?, disabled_reason = ? WHERE id = ?
        """,
      arguments: [
        webhook.cursor, webhook.pendingSeq, webhook.attempts, webhook.nextAttemptAt?.millisecondsSince1970,
        webhook.failingSince?.millisecondsSince1970, webhook.enabled, webhook.disabledReason,
        webhook.id.uuidString.lowercased(),
      ])
  }

  public func delete(id: UUID, owner: UserID, kind: EndpointKind = .webhook) throws -> Bool {
    try database.write { db in
      try db.execute(
        sql: "DELETE FROM webhooks WHERE id = ? AND user_id = ? AND kind = ?",
        arguments: [id.uuidString.lowercased(), owner, kind.rawValue])
      return db.changesCount > 0
    }
  }

  /// Logs one attempt and, in the same transaction, the endpoint's progress after it; keeps
  /// the newest 1,000 attempts of each endpoint. Committed without waiting for the disk
  /// (`synchronous = NORMAL`): it survives a crash of the process, and what a power cut could
  /// take back is only sent again, with the same `webhook-id`, which receivers ignore. Every
  /// other write still waits for the disk.
  public func record(_ delivery: WebhookDelivery, progress webhook: Webhook) throws {
    try database.pool.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      defer { try? db.execute(sql: "PRAGMA synchronous = FULL") }
      let began = ContinuousClock.now
      defer { WriteMetrics.record(since: began) }
      try db.inTransaction {
        try Self.record(delivery, progress: webhook, db)
        return .commit
      }
    }
  }

  private static func record(_ delivery: WebhookDelivery, progress webhook: Webhook, _ db: Database) throws {
    try Self.saveProgress(webhook, db)
    let key = delivery.webhookID.uuidString.lowercased()
    try db.execute(
      sql: """
        INSERT INTO webhook_deliveries
          (webhook_id, seq, event_type, message_id, attempt, attempted_at, status, latency_ms, response, error)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        key, delivery.seq, delivery.eventType, delivery.messageID, delivery.attempt,
        delivery.attemptedAt.millisecondsSince1970, delivery.status, delivery.latencyMilliseconds,
        delivery.response, delivery.error,
      ])
    try db.execute(
      sql: """
        DELETE FROM webhook_deliveries WHERE webhook_id = ? AND id <= (
          SELECT id FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT 1 OFFSET 1000)
        """, arguments: [key, key])
  }

  /// The newest attempts first, before `id` when given.
  public func deliveries(webhookID: UUID, before id: Int64?, limit: Int) throws -> [WebhookDelivery] {
    try database.pool.read { db in
      try Row.fetchAll(
        db,
        sql: "SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
        arguments: [webhookID.uuidString.lowercased(), id ?? .max, limit]
      ).compactMap { row in
        guard let webhookID = UUID(uuidString: row["webhook_id"]) else { return nil }
        return WebhookDelivery(
          id: row["id"], webhookID: webhookID, seq: row["seq"], eventType: row["event_type"],
          messageID: row["message_id"], attempt: row["attempt"],
          attemptedAt: Date(millisecondsSince1970: row["attempted_at"]), status: row["status"],
          latencyMilliseconds: row["latency_ms"], response: row["response"], error: row["error"])
      }
    }
  }

  private static func save(_ webhook: Webhook, _ db: Database, inserting: Bool) throws {
    let filters = String(decoding: try JSONEncoder().encode(webhook.filters), as: UTF8.self)
    let types = webhook.eventTypes.map(\.rawValue).sorted().joined(separator: ",")
    let values: [(any DatabaseValueConvertible)?] = [
      webhook.owner, webhook.kind.rawValue, webhook.pushKeys?.p256dh, webhook.pushKeys?.auth, webhook.url,
      webhook.description, types, filters, webhook.secret, webhook.previousSecret,
      webhook.previousUntil?.millisecondsSince1970, webhook.enabled, webhook.disabledReason, webhook.cursor,
      webhook.pendingSeq, webhook.attempts, webhook.nextAttemptAt?.millisecondsSince1970,
      webhook.failingSince?.millisecondsSince1970, webhook.createdAt.millisecondsSince1970,
      webhook.updatedAt.millisecondsSince1970, webhook.id.uuidString.lowercased(),
    ]
    let columns =
      "user_id, kind, p256dh, auth, url, description, event_types, filters, secret, previous_secret, previous_until, enabled, "
      + "disabled_reason, cursor, pending_seq, attempts, next_attempt_at, failing_since, created_at, updated_at, id"
    if inserting {
      let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
      try db.execute(
        sql: "INSERT INTO webhooks (\(columns)) VALUES (\(marks))", arguments: StatementArguments(values))
    } else {
      let assignments = columns.split(separator: ",").dropLast().map {
        "\($0.trimmingCharacters(in: .whitespaces)) = ?"
      }
      try db.execute(
        sql: "UPDATE webhooks SET \(assignments.joined(separator: ", ")) WHERE id = ?",
        arguments: StatementArguments(values))
    }
  }

  static func webhook(_ row: Row) -> Webhook? {
    guard let id = UUID(uuidString: row["id"]) else { return nil }
    let filtersText: String = row["filters"]
    let filters =
      (try? JSONDecoder().decode(WebhookFilters.self, from: Data(filtersText.utf8))) ?? WebhookFilters()
    let typesText: String = row["event_types"]
    let p256dh: String? = row["p256dh"]
    let auth: String? = row["auth"]
    var webhook = Webhook(
      id: id, owner: row["user_id"], kind: EndpointKind(rawValue: row["kind"]) ?? .webhook, url: row["url"],
      pushKeys: p256dh.flatMap { key in auth.map { PushKeys(p256dh: key, auth: $0) } },
      description: row["description"],
      eventTypes: Set(typesText.split(separator: ",").compactMap { WebhookEventType(rawValue: String($0)) }),
      filters: filters, secret: row["secret"], cursor: row["cursor"],
      at: Date(millisecondsSince1970: row["created_at"]))
    webhook.previousSecret = row["previous_secret"]
    webhook.previousUntil = (row["previous_until"] as Int64?).map(Date.init(millisecondsSince1970:))
    webhook.enabled = row["enabled"]
    webhook.disabledReason = row["disabled_reason"]
    webhook.pendingSeq = row["pending_seq"]
    webhook.attempts = row["attempts"]
    webhook.nextAttemptAt = (row["next_attempt_at"] as Int64?).map(Date.init(millisecondsSince1970:))
    webhook.failingSince = (row["failing_since"] as Int64?).map(Date.init(millisecondsSince1970:))
    webhook.updatedAt = Date(millisecondsSince1970: row["updated_at"])
    return webhook
  }
}
