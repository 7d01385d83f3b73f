import GRDB

/// Schema v7: endpoints the server sends events to (webhooks, and browsers' push services for
/// Web Push), each a reader of the event log with its own cursor; the log of their delivery
/// attempts; the server's VAPID key pair, made once; alert rules and the alerts they fired.
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

    // Alert rules: a wallet's or the portfolio's USD value crossing a level, a balance moving
    // by more than an amount or a share, or any activity of a wallet.
    try db.create(table: "alert_rules") { table in
      table.primaryKey("id", .text)
      table.column("user_id", .integer).notNull().references("users", onDelete: .cascade)
      table.column("name", .text)
      table.column("kind", .text).notNull()
      // NULL: the whole portfolio (value rules) or any wallet (the others).
      table.column("wallet_id", .text).references("wallets", onDelete: .cascade)
      table.column("asset", .text)
      // A decimal: USD for value rules, the asset's amount (or percent) for balance rules.
      table.column("threshold", .text)
      table.column("percent", .boolean).notNull().defaults(to: false)
      table.column("direction", .text)
      table.column("enabled", .boolean).notNull()
      // Value rules: whether the value was past the level when last looked at (NULL: not yet).
      table.column("beyond", .boolean)
      table.column("created_at", .integer).notNull()
      table.column("updated_at", .integer).notNull()
    }
    try db.create(index: "alert_rules_by_user", on: "alert_rules", columns: ["user_id"])
    // Alerts fired take their `seq` from the change log's sequence: one order for every event.
    try db.create(table: "alert_events") { table in
      table.primaryKey("seq", .integer)
      table.column("user_id", .integer).notNull()
      table.column("rule_id", .text).notNull()
      table.column("title", .text).notNull()
      table.column("message", .text).notNull()
      table.column("data", .text).notNull()
      table.column("at", .integer).notNull()
    }
    try db.create(index: "alert_events_by_user", on: "alert_events", columns: ["user_id", "seq"])
  }
}
