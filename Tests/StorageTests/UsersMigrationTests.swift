import Foundation
import GRDB
import PortfolioCore
import Testing

@testable import Storage

/// A database from before users: its wallets, balances, history and hourly rollup go to the
/// first user the migration makes.
@Suite struct UsersMigrationTests {
  @Test func walletsOfAnOlderDatabaseBecomeTheFirstUsers() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("v5-\(UUID().uuidString)/p.sqlite").path
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let id = "3f1c4c1e-9f6b-4a53-8d1a-0d6f3f9b2a10"
    let hourMs: Int64 = 3_600_000
    do {
      let queue = try DatabaseQueue(path: path)
      try Migrations.migrator.migrate(queue, upTo: "v5: prices")
      try queue.write { db in
        try db.execute(
          sql:
            "INSERT INTO wallets VALUES (?, 'ethereum', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'main', 1, 1)",
          arguments: [id])
        try db.execute(sql: "INSERT INTO balances VALUES (?, '', 'ETH', 18, '5', 1, 1)", arguments: [id])
        for (old, new, at) in [("0", "3", 10 * hourMs), ("3", "5", 12 * hourMs)] {
          try db.execute(
            sql: """
              INSERT INTO changes (wallet_id, chain, token, symbol, decimals, raw_old, raw_new, block, at)
              VALUES (?, 'ethereum', '', 'ETH', 18, ?, ?, 1, ?)
              """, arguments: [id, old, new, at])
        }
      }
    }
    let database = try AppDatabase(path: path)
    let wallets = try WalletStore(database).all()
    #expect(wallets.map(\.owner) == [.first])
    #expect(wallets.first?.label == "main")
    #expect(
      try BalanceStore(database).balances(walletID: try #require(UUID(uuidString: id))).map(\.raw.text) == [
        "5"
      ])
    // The rollup was rebuilt from the changes, per user.
    let closes = try HourlyTotals(database).closes(owner: .first, fromHour: 10, throughHour: 12)
    #expect(closes.first?.closes.map(\.raw) == ["3", "5"])
    #expect(closes.first?.closes.map(\.hour) == [10, 12])
    // Another user could now track the same address.
    let second = try UserStore(database).create(name: "second")
    _ = try WalletStore(database).add(
      Wallet(
        owner: second.id, chain: "ethereum", address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        label: nil,
        createdAt: Date(), updatedAt: Date()))
    #expect(try WalletStore(database).count() == 2)
    // And the same user cannot twice.
    #expect(throws: WalletExists.self) {
      try WalletStore(database).add(
        Wallet(
          owner: second.id, chain: "ethereum", address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
          label: nil,
          createdAt: Date(), updatedAt: Date()))
    }
  }
}
