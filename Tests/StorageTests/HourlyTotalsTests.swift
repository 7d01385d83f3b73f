import BigInt
import Foundation
import GRDB
import PortfolioCore
import Testing

@testable import Storage

/// The hourly rollup against sums worked out here from the change log itself.
@Suite struct HourlyTotalsTests {
  let path: String

  init() {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("hours-\(UUID().uuidString)/p.sqlite")
      .path
  }

  static let hour: Int64 = 3_600_000
  static let start: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
  static let token = "0x00000000000000000000000000000000000000aa"

  func addWallets(_ count: Int, to database: AppDatabase) throws -> [Wallet] {
    let time = Date(millisecondsSince1970: Self.start)
    let wallets = (0..<count).map { index in
      Wallet(
        chain: "ethereum", address: "0x" + String(repeating: "0", count: 39) + String(index, radix: 16),
        label: nil, createdAt: time, updatedAt: time)
    }
    try WalletStore(database).addAll(wallets)
    return wallets
  }

  func reading(_ wallet: Wallet, token: String?, raw: String, at: Int64) -> StoredBalance {
    StoredBalance(
      walletID: wallet.id, token: token, symbol: token == nil ? "ETH" : "TKN",
      decimals: token == nil ? 18 : 6,
      raw: BaseUnits(text: raw) ?? .zero, block: nil, updatedAt: Date(millisecondsSince1970: at))
  }

  /// Each asset's total at the end of every hour from `first` to `last`, summed from the changes.
  func sums(_ database: AppDatabase, first: Int64, last: Int64) throws -> [String: [BigInt]] {
    let rows = try database.pool.read { db in
      try Row.fetchAll(db, sql: "SELECT token, raw_old, raw_new, at FROM changes ORDER BY seq")
    }
    var result: [String: [BigInt]] = [:]
    for row in rows {
      let token: String = row["token"]
      let delta =
        BigInt(BigUInt(row["raw_new"] as String) ?? 0) - BigInt(BigUInt(row["raw_old"] as String) ?? 0)
      let hour = HourlyTotals.hour(ofMilliseconds: row["at"])
      var series = result[token] ?? Array(repeating: 0, count: Int(last - first + 1))
      for index in series.indices where first + Int64(index) >= hour { series[index] += delta }
      result[token] = series
    }
    // Readings stamped out of order can leave an hour below zero, which is shown as zero.
    return result.mapValues { series in series.map { max($0, 0) } }
  }

  /// The same from the rollup: each hour takes the latest close at or before it.
  func rolledUp(_ database: AppDatabase, first: Int64, last: Int64) throws -> [String: [BigInt]] {
    var result: [String: [BigInt]] = [:]
    for asset in try HourlyTotals(database).closes(owner: .first, fromHour: first, throughHour: last) {
      var value = BigInt(BigUInt(asset.opening ?? "0") ?? 0)
      var next = 0
      result[asset.token ?? ""] = (first...last).map { hour in
        while next < asset.closes.count, asset.closes[next].hour <= hour {
          value = BigInt(BigUInt(asset.closes[next].raw) ?? 0)
          next += 1
        }
        return value
      }
    }
    return result
  }

  @Test func closesMatchTheChangeLogThroughWritesOutOfOrderAndDeletes() throws {
    let database = try AppDatabase(path: path)
    let wallets = try addWallets(4, to: database)
    let store = BalanceStore(database)
    var generator = SystemRandomNumberGenerator()
    for step in 0..<60 {
      // Mostly in time order, a few readings stamped hours earlier than ones already written.
      let late = step % 7 == 3
      let at =
        Self.start + Int64(step / 2) * Self.hour - (late ? 5 * Self.hour : 0) + Int64(step % 2) * 60_000
      let readings = wallets.filter { _ in Bool.random(using: &generator) }.flatMap { wallet in
        [
          reading(
            wallet, token: nil,
            raw: String(UInt64.random(in: 0...5_000_000_000_000_000_000, using: &generator)), at: at),
          reading(
            wallet, token: Self.token, raw: String(UInt64.random(in: 0...3, using: &generator) * 1_000_000),
            at: at),
        ]
      }
      _ = try store.apply(chain: "ethereum", readings: readings)
    }
    let first = HourlyTotals.hour(ofMilliseconds: Self.start) - 6
    let last = first + 40
    #expect(try rolledUp(database, first: first, last: last) == sums(database, first: first, last: last))
    // A range that starts late opens from the close before it.
    #expect(
      try rolledUp(database, first: first + 20, last: last) == sums(database, first: first + 20, last: last))

    #expect(try WalletStore(database).delete(id: wallets[1].id, owner: .first))
    #expect(try rolledUp(database, first: first, last: last) == sums(database, first: first, last: last))

    for wallet in [wallets[0], wallets[2], wallets[3]] {
      #expect(try WalletStore(database).delete(id: wallet.id, owner: .first))
    }
    #expect(try HourlyTotals(database).closes(owner: .first, fromHour: first, throughHour: last).isEmpty)
    let rows = try database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM asset_hours") }
    #expect(rows == 0)
  }

  @Test func anAssetFirstMovedAfterTheRangeIsLeftOut() throws {
    let database = try AppDatabase(path: path)
    let wallet = try #require(try addWallets(1, to: database).first)
    _ = try BalanceStore(database).apply(
      chain: "ethereum", readings: [reading(wallet, token: nil, raw: "5", at: Self.start + 10 * Self.hour)])
    let hour = HourlyTotals.hour(ofMilliseconds: Self.start)
    #expect(try HourlyTotals(database).closes(owner: .first, fromHour: hour, throughHour: hour + 9).isEmpty)
    let later = try HourlyTotals(database).closes(owner: .first, fromHour: hour, throughHour: hour + 10)
    #expect(later.map(\.closes) == [[HourClose(hour: hour + 10, raw: "5")]])
    #expect(later.first?.symbol == "ETH" && later.first?.decimals == 18 && later.first?.token == nil)
  }

  @Test func aDatabaseFromBeforeTheRollupIsBackfilledWhenOpened() throws {
    try FileManager.default.createDirectory(
      at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
    let queue = try DatabaseQueue(path: path)
    try Migrations.migrator.migrate(queue, upTo: "v2: tracked tokens")
    try queue.write { db in
      try db.execute(
        sql:
          "INSERT INTO wallets (id, chain, address, created_at, updated_at) VALUES ('w', 'ethereum', '0x1', 0, 0)"
      )
      let changes: [(String, String, String, Int64)] = [
        ("", "0", "100", Self.start), ("", "100", "40", Self.start + 60_000),
        (Self.token, "0", "7", Self.start + Self.hour), ("", "40", "90", Self.start + 3 * Self.hour),
      ]
      for (token, old, new, at) in changes {
        try db.execute(
          sql: """
            INSERT INTO changes (wallet_id, chain, token, symbol, decimals, raw_old, raw_new, at)
            VALUES ('w', 'ethereum', ?, 'X', 0, ?, ?, ?)
            """, arguments: [token, old, new, at])
      }
    }
    try queue.close()

    let database = try AppDatabase(path: path)
    let first = HourlyTotals.hour(ofMilliseconds: Self.start)
    let closes = try HourlyTotals(database).closes(owner: .first, fromHour: first, throughHour: first + 5)
    #expect(
      closes.map(\.closes) == [
        [HourClose(hour: first, raw: "40"), HourClose(hour: first + 3, raw: "90")],
        [HourClose(hour: first + 1, raw: "7")],
      ])
    #expect(
      try rolledUp(database, first: first, last: first + 5) == sums(database, first: first, last: first + 5))
  }

  @Test func hoursBefore1970RoundDown() {
    #expect(HourlyTotals.hour(ofMilliseconds: 0) == 0)
    #expect(HourlyTotals.hour(ofMilliseconds: 3_599_999) == 0)
    #expect(HourlyTotals.hour(ofMilliseconds: -1) == -1)
    #expect(HourlyTotals.hour(ofMilliseconds: -3_600_000) == -1)
    #expect(HourlyTotals.hour(ofMilliseconds: -3_600_001) == -2)
  }
}
