import Foundation
import GRDB

/// Schema v6: users, their access tokens, and an owner on every wallet. The wallets a database
/// had before go to a first user, `owner`, who can be renamed or given tokens like any other.
enum UsersMigration {
  static func apply(_ db: Database) throws {
    try db.create(table: "users") { table in
      table.autoIncrementedPrimaryKey("id")
      table.column("name", .text).notNull().unique(onConflict: .abort).collate(.nocase)
      table.column("created_at", .integer).notNull()
    }
    try db.execute(
      sql: "INSERT INTO users (id, name, created_at) VALUES (1, 'owner', ?)",
      arguments: [Date().millisecondsSince1970])

    // Only a hash of each token is kept; `prefix`, the token's first characters, finds its row.
    try db.create(table: "access_tokens") { table in
      table.autoIncrementedPrimaryKey("id")
      table.column("user_id", .integer).notNull().references("users", onDelete: .cascade)
      table.column("name", .text)
      table.column("scope", .text).notNull()
      table.column("prefix", .text).notNull().unique()
      table.column("hash", .blob).notNull()
      table.column("created_at", .integer).notNull()
      table.column("expires_at", .integer)
      table.column("last_used_at", .integer)
      table.column("revoked_at", .integer)
    }
    try db.create(index: "access_tokens_by_user", on: "access_tokens", columns: ["user_id"])

    // A wallet is unique per user, not per server: the table is rebuilt with its owner.
    try db.create(table: "wallets_v6") { table in
      table.primaryKey("id", .text)
      table.column("user_id", .integer).notNull().references("users", onDelete: .cascade)
      table.column("chain", .text).notNull()
      table.column("address", .text).notNull()
      table.column("label", .text)
      table.column("created_at", .integer).notNull()
      table.column("updated_at", .integer).notNull()
      table.uniqueKey(["user_id", "chain", "address"])
    }
    try db.execute(
      sql: """
        INSERT INTO wallets_v6 (id, user_id, chain, address, label, created_at, updated_at)
        SELECT id, 1, chain, address, label, created_at, updated_at FROM wallets
        """)
    try db.drop(table: "wallets")
    try db.rename(table: "wallets_v6", to: "wallets")
    try db.create(index: "wallets_by_creation", on: "wallets", columns: ["created_at", "id"])
    try db.create(index: "wallets_by_user", on: "wallets", columns: ["user_id", "created_at", "id"])
    // The poller reads each address once, however many users track it.
    try db.create(index: "wallets_by_address", on: "wallets", columns: ["chain", "address"])

    try db.alter(table: "wallet_events") { table in
      table.add(column: "user_id", .integer).notNull().defaults(to: 1)
    }

    // The hourly rollup is kept per user, so each sees the history of their own wallets.
    try db.drop(table: "asset_hours")
    try db.drop(table: "history_assets")
    try db.create(table: "history_assets") { table in
      table.column("user_id", .integer).notNull()
      table.column("chain", .text).notNull()
      table.column("token", .text).notNull()
      table.column("symbol", .text).notNull()
      table.column("decimals", .integer).notNull()
      table.column("moves", .integer).notNull()
      table.primaryKey(["user_id", "chain", "token"])
    }
    try db.create(table: "asset_hours", options: .withoutRowID) { table in
      table.column("user_id", .integer).notNull()
      table.column("chain", .text).notNull()
      table.column("token", .text).notNull()
      table.column("hour", .integer).notNull()
      table.column("raw", .text).notNull()
      table.primaryKey(["user_id", "chain", "token", "hour"])
    }
    var batch = HourlyTotalsBatch()
    try batch.addAllChanges(db)
    try batch.write(db)
  }
}
