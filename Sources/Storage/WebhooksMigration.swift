import GRDB

/// Schema v7: endpoints the server sends events to (webhooks, and browsers' push services for
/// Web Push), each a reader of the event log with its own cursor; the log of their delivery
/// attempts; and the server's VAPID key pair, made once.
enum WebhooksMigration {
  static func apply(_ db: Database) throws {
    try db.create(table: "webhooks") { table in
      table.primaryKey("id", .text)
      table.column("user_id", .integer).notNull().references("users", onDelete: .cascade)
      // 'webhook', or 'webpush' for a browser's push subscription (`url` is its endpoint).
      table.column("kind", .text).notNull().defaults(to: "webhook")
      table.column("url", .text).notNull()
      // Web Push only: the subscription's P-256 key and auth secret (base64url).
      table.column("p256dh", .text)
      table.column("auth", .text)
      table.column("description", .text)
      // Comma-separated event types; empty for all.
      table.column("event_types", .text).notNull()
      // JSON: {"wallets": [...], "chains": [...], "assets": [...], "min_usd": "..."}.
      table.column("filters", .text).notNull()
      table.column("secret", .text).notNull()
      // After a rotation the old secret signs too, until `previous_until`.
      table.column("previous_secret", .text)
      table.column("previous_until", .integer)
      table.column("enabled", .boolean).notNull()
      table.column("disabled_reason", .text)
      // The last `seq` delivered or passed over: delivery resumes after it, also after a crash.
      table.column("cursor", .integer).notNull()
      // The event being delivered and its attempts so far; NULL when none is pending.
      table.column("pending_seq", .integer)
      table.column("attempts", .integer).notNull().defaults(to: 0)
      table.column("next_attempt_at", .integer)
      table.column("failing_since", .integer)
      table.column("created_at", .integer).notNull()
      table.column("updated_at", .integer).notNull()
    }
    try db.create(index: "webhooks_by_user", on: "webhooks", columns: ["user_id", "created_at"])
    try db.create(table: "webhook_deliveries") { table in
      table.autoIncrementedPrimaryKey("id")
      table.column("webhook_id", .text).notNull().references("webhooks", onDelete: .cascade)
      table.column("seq", .integer).notNull()
      table.column("event_type", .text).notNull()
      table.column("message_id", .text).notNull()
      table.column("attempt", .integer).notNull()
      table.column("attempted_at", .integer).notNull()
      // NULL when no answer came (a refused connection, a timeout).
      table.column("status", .integer)
      table.column("latency_ms", .integer).notNull()
      table.column("response", .text)
      table.column("error", .text)
    }
    try db.create(
      index: "webhook_deliveries_by_webhook", on: "webhook_deliveries", columns: ["webhook_id", "id"])
  }
}
