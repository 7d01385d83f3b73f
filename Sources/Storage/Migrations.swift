import Foundation
import GRDB

/// The schema, one registered migration per version; never edit a shipped one.
enum Migrations {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1: wallets, balances, change log") { db in
      try db.create(table: "meta") { table in
        table.primaryKey("key", .text)
        table.column("value", .text).notNull()
      }
      try db.execute(
        sql: "INSERT INTO meta (key, value) VALUES ('epoch', ?)",
        arguments: [UUID().uuidString.lowercased()])

      try db.create(table: "wallets") { table in
        table.primaryKey("id", .text)
        table.column("chain", .text).notNull()
        table.column("address", .text).notNull()
        table.column("label", .text)
        table.column("created_at", .integer).notNull()
        table.column("updated_at", .integer).notNull()
        table.uniqueKey(["chain", "address"])
      }
      try db.create(index: "wallets_by_creation", on: "wallets", columns: ["created_at", "id"])

      // Current balance per wallet and asset; `token` is '' for the native coin.
      try db.create(table: "balances") { table in
        table.column("wallet_id", .text).notNull()
          .references("wallets", onDelete: .cascade)
        table.column("token", .text).notNull()
        table.column("symbol", .text).notNull()
        table.column("decimals", .integer).notNull()
        table.column("raw", .text).notNull()
        table.column("block", .integer)
        table.column("updated_at", .integer).notNull()
        table.primaryKey(["wallet_id", "token"])
      }

      // The change log: `seq` is the stream position, strictly rising and never reused.
      try db.create(table: "changes") { table in
        table.autoIncrementedPrimaryKey("seq")
        table.column("wallet_id", .text).notNull()
          .references("wallets", onDelete: .cascade)
        table.column("chain", .text).notNull()
        table.column("token", .text).notNull()
        table.column("symbol", .text).notNull()
        table.column("decimals", .integer).notNull()
        table.column("raw_old", .text).notNull()
        table.column("raw_new", .text).notNull()
        table.column("block", .integer)
        table.column("at", .integer).notNull()
      }
      try db.create(index: "changes_by_wallet", on: "changes", columns: ["wallet_id", "seq"])
    }
    migrator.registerMigration("v2: tracked tokens") { db in
      // Tokens tracked beyond the built-in lists, and metadata read on chain for any token.
      try db.create(table: "tokens") { table in
        table.column("chain", .text).notNull()
        table.column("address", .text).notNull()
        table.column("symbol", .text).notNull()
        table.column("decimals", .integer).notNull()
        // 'user' for tokens added through the API; 'metadata' for cached metadata only.
        table.column("source", .text).notNull()
        table.column("added_at", .integer).notNull()
        table.primaryKey(["chain", "address"])
      }
    }
    migrator.registerMigration("v3: hourly asset totals") { db in
      // Per asset, how many changes its history rests on; gone with the last of them.
      try db.create(table: "history_assets") { table in
        table.column("chain", .text).notNull()
        table.column("token", .text).notNull()
        table.column("symbol", .text).notNull()
        table.column("decimals", .integer).notNull()
        table.column("moves", .integer).notNull()
        table.primaryKey(["chain", "token"])
      }
      // The asset's total over all wallets at the end of each hour (since 1970, UTC) in which
      // it moved; later hours carry the last close forward.
      try db.create(table: "asset_hours", options: .withoutRowID) { table in
        table.column("chain", .text).notNull()
        table.column("token", .text).notNull()
        table.column("hour", .integer).notNull()
        table.column("raw", .text).notNull()
        table.primaryKey(["chain", "token", "hour"])
      }
      var batch = HourlyTotalsBatch()
      try batch.addAllChanges(db)
      try batch.write(db)
    }
    migrator.registerMigration("v4: wallet events in the log") { db in
      // Wallets added and removed take their `seq` from the change log's sequence, so the one
      // log orders every event. No foreign key: a removal outlives the wallet it names.
      try db.create(table: "wallet_events") { table in
        table.primaryKey("seq", .integer)
        table.column("kind", .text).notNull()
        table.column("wallet_id", .text).notNull()
        table.column("chain", .text).notNull()
        table.column("address", .text).notNull()
        table.column("label", .text)
        table.column("created_at", .integer).notNull()
        table.column("updated_at", .integer).notNull()
        table.column("at", .integer).notNull()
      }
      try db.create(index: "wallet_events_by_wallet", on: "wallet_events", columns: ["wallet_id", "seq"])
    }
    return migrator
  }
}
