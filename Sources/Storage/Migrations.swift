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
      // Filled from the change log by v6, which keeps the rollup per user.
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
    migrator.registerMigration("v5: prices") { db in
      // The price each asset is valued at now; gone when no source has answered for longer
      // than the cache TTL, so nothing is valued at a price nobody vouches for any more.
      try db.create(table: "prices", options: .withoutRowID) { table in
        table.column("chain", .text).notNull()
        table.column("token", .text).notNull()
        table.column("price", .text).notNull()
        table.column("source", .text).notNull()
        // When the source says the price was true, and when the server took it.
        table.column("source_at", .integer).notNull()
        table.column("at", .integer).notNull()
        // The price subscribers were last told of: moves are pushed once they pass the
        // threshold from it, so a slow drift is told too.
        table.column("pushed", .text)
        table.primaryKey(["chain", "token"])
      }
      // Every move of an asset's price, and (price NULL) the moment it stopped being priced.
      // `seq` is set on the moves that were pushed to subscribers: they share the change log's
      // order, so a client that resumes learns that values moved while it was away.
      try db.create(table: "price_history") { table in
        table.autoIncrementedPrimaryKey("id")
        table.column("chain", .text).notNull()
        table.column("token", .text).notNull()
        table.column("price", .text)
        table.column("source", .text)
        table.column("source_at", .integer)
        table.column("at", .integer).notNull()
        table.column("seq", .integer)
      }
      try db.create(index: "price_history_by_asset", on: "price_history", columns: ["chain", "token", "at"])
      try db.execute(sql: "CREATE INDEX price_history_by_seq ON price_history (seq) WHERE seq IS NOT NULL")
      // The price at the end of each hour in which it moved, like `asset_hours` for amounts.
      try db.create(table: "price_hours", options: .withoutRowID) { table in
        table.column("chain", .text).notNull()
        table.column("token", .text).notNull()
        table.column("hour", .integer).notNull()
        table.column("price", .text)
        table.primaryKey(["chain", "token", "hour"])
      }
    }
    migrator.registerMigration("v6: users and access tokens") { db in
      try UsersMigration.apply(db)
    }
    migrator.registerMigration("v7: notifications") { db in
      try WebhooksMigration.apply(db)
    }
    migrator.registerMigration("v8: the change behind each balance") { db in
      // The `seq` and time of the change that set each amount (NULL: never changed, so zero).
      // What a user held as of an earlier `seq` is read from the balances then, looking up in
      // the log only those changed since; an index for the lookups would slow every change
      // written.
      try db.alter(table: "balances") { table in
        table.add(column: "changed_seq", .integer)
        table.add(column: "changed_at", .integer)
      }
      try db.execute(
        sql: """
          UPDATE balances SET changed_seq = (
            SELECT seq FROM changes c WHERE c.wallet_id = balances.wallet_id AND c.token = balances.token
            ORDER BY seq DESC LIMIT 1)
          """)
      try db.execute(
        sql: "UPDATE balances SET changed_at = (SELECT at FROM changes WHERE seq = balances.changed_seq)")
    }
    return migrator
  }
}
