import Foundation
import GRDB
import PortfolioCore
import Testing

@testable import Storage

/// Every schema a released binary may have left behind opens and upgrades, with its rows; a
/// file from a newer binary is refused before anything writes to it.
@Suite struct SchemaUpgradeTests {
  let folder: URL

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("upgrade-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  static let walletID = "0b0b6b8e-3c1d-4a57-9d0e-1f2a3b4c5d6e"
  static let address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

  /// Each earlier state: the schema up to and including that migration (all but the last).
  static var earlierStates: [String] { Array(SchemaVersion.known.dropLast()) }

  @Test func everyEarlierStateIsListed() {
    #expect(Self.earlierStates.count == SchemaVersion.known.count - 1)
    #expect(Self.earlierStates.first?.hasPrefix("v1:") == true)
  }

  @Test(arguments: earlierStates)
  func upgradesFrom(_ state: String) throws {
    let path = folder.appendingPathComponent("db.sqlite").path
    let queue = try DatabaseQueue(path: path)
    try Migrations.migrator.migrate(queue, upTo: state)
    try queue.write { db in try Self.insertRows(db, state: state) }
    try queue.close()

    let database = try AppDatabase(path: path)
    let applied = try database.pool.read { db in try Migrations.migrator.appliedMigrations(db) }
    #expect(applied == SchemaVersion.known)
    let wallets = try WalletStore(database).all()
    #expect(wallets.map(\.address) == [Self.address])
    #expect(wallets.first?.label == "cold")
    let id = try #require(UUID(uuidString: Self.walletID))
    let changes = try ChangeLog(database).history(walletID: id, before: nil, limit: 10)
    #expect(changes.map(\.rawNew) == [BaseUnits(UInt64(5_000))])
    #expect(try BalanceStore(database).balances(walletID: id).map(\.raw) == [BaseUnits(UInt64(5_000))])
    let integrity = try database.pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    #expect(integrity == ["ok"])
    try database.close()
  }

  @Test func aDatabaseFromANewerBinaryIsRefused() throws {
    let path = folder.appendingPathComponent("newer.sqlite").path
    try AppDatabase(path: path).close()
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
      try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
    }
    try queue.close()
    do {
      _ = try AppDatabase(path: path)
      Issue.record("a newer database was opened")
    } catch let error as DatabaseUnusable {
      #expect(
        error.description
          == "cannot use the database \(path): its schema is newer than this binary: the file has migration "
          + "\"v99: from the future\", while this binary knows \(SchemaVersion.known.count) up to "
          + "\"\(SchemaVersion.latest)\"; run the newer portfolio-server on it, or restore a backup made by "
          + "this version (portfolio-server restore --from FILE)")
      #expect(!error.description.contains("\n"))
    }
    // Untouched: the unknown migration is still there, and nothing was added.
    let reopened = try DatabaseQueue(path: path)
    let identifiers = try reopened.read { db in
      try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations")
    }
    #expect(identifiers.contains("v99: from the future"))
    #expect(identifiers.count == SchemaVersion.known.count + 1)
  }

  /// A wallet, its balance and one change, as the schema of `state` holds them.
  static func insertRows(_ db: Database, state: String) throws {
    let index = SchemaVersion.known.firstIndex(of: state) ?? 0
    let hasUsers = index >= SchemaVersion.known.firstIndex { $0.hasPrefix("v6:") } ?? Int.max
    let at: Int64 = 1_700_000_000_000
    if hasUsers {
      try db.execute(
        sql: """
          INSERT INTO wallets (id, user_id, chain, address, label, created_at, updated_at)
          VALUES (?, 1, 'ethereum', ?, 'cold', ?, ?)
          """, arguments: [walletID, address, at, at])
    } else {
      try db.execute(
        sql: """
          INSERT INTO wallets (id, chain, address, label, created_at, updated_at)
          VALUES (?, 'ethereum', ?, 'cold', ?, ?)
          """, arguments: [walletID, address, at, at])
    }
    try db.execute(
      sql: """
        INSERT INTO balances (wallet_id, token, symbol, decimals, raw, block, updated_at)
        VALUES (?, '', 'ETH', 18, '5000', 12, ?)
        """, arguments: [walletID, at])
    try db.execute(
      sql: """
        INSERT INTO changes (wallet_id, chain, token, symbol, decimals, raw_old, raw_new, block, at)
        VALUES (?, 'ethereum', '', 'ETH', 18, '0', '5000', 12, ?)
        """, arguments: [walletID, at])
  }
}
