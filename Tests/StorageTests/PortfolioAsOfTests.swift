import BigInt
import Foundation
import GRDB
import PortfolioCore
import Testing

@testable import Storage

/// Holdings as of a `seq`, summed by SQLite and rolled forward here, against the change log
/// replayed change by change in Swift.
@Suite struct PortfolioAsOfTests {
  let database: AppDatabase
  static let start = Date(millisecondsSince1970: 1_767_225_600_000)
  static let tokens: [String?] = [
    nil, "0x00000000000000000000000000000000000000aa", "0x00000000000000000000000000000000000000bb",
  ]

  init() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("asof-\(UUID().uuidString)/p.sqlite").path
    database = try AppDatabase(path: path)
  }

  /// Five wallets, twelve readings each of three assets; some amounts past 27 digits.
  func makeHistory() throws -> [BalanceChange] {
    let wallets = (0..<5).map { index in
      Wallet(
        chain: "ethereum", address: "0x" + String(repeating: "0", count: 38) + String(format: "%02x", index),
        label: nil, createdAt: Self.start, updatedAt: Self.start)
    }
    try WalletStore(database).addAll(wallets)
    var generator = SystemRandomNumberGenerator()
    for round in 0..<12 {
      var readings: [StoredBalance] = []
      for (index, wallet) in wallets.enumerated() where (round + index) % 3 != 0 {
        for (slot, token) in Self.tokens.enumerated() where (round + slot) % 2 == 0 || token == nil {
          let width = round == 7 && index == 1 ? 250 : 60
          let amount =
            (round + slot) % 5 == 0 ? 0 : BigUInt.randomInteger(withMaximumWidth: width, using: &generator)
          readings.append(
            StoredBalance(
              walletID: wallet.id, token: token, symbol: token == nil ? "ETH" : "T\(slot)", decimals: 18,
              raw: BaseUnits(amount), block: nil,
              updatedAt: Self.start.addingTimeInterval(Double(round * 60 + index))))
        }
      }
      _ = try BalanceStore(database).apply(chain: "ethereum", readings: readings)
    }
    let (events, _) = try ChangeLog(database).replay(after: 0, scope: .user(.first), limit: 10_000)
    return events.compactMap { if case .balance(let change) = $0 { change } else { nil } }
  }

  /// The totals as of `seq`, from every change up to it.
  static func replayed(_ changes: [BalanceChange], through seq: Int64) -> [AssetTotal] {
    var latest: [String: BalanceChange] = [:]
    for change in changes where change.seq <= seq {
      latest["\(change.walletID)/\(change.token ?? "")"] = change
    }
    var totals: [AssetKey: AssetTotal] = [:]
    for change in latest.values {
      let asset = AssetKey(chain: change.chain, token: change.token)
      var total =
        totals[asset]
        ?? AssetTotal(
          asset: asset, symbol: change.symbol, decimals: change.decimals, raw: 0, wallets: 0,
          oldestUpdate: change.at)
      total.raw += change.rawNew.value
      total.wallets += change.rawNew.isZero ? 0 : 1
      total.oldestUpdate = min(total.oldestUpdate, change.at)
      totals[asset] = total
    }
    return totals.values.sorted { $0.asset < $1.asset }
  }

  @Test func everySeqFromAnyCursorMatchesTheLogReplayed() throws {
    let changes = try makeHistory()
    let last = try #require(changes.last?.seq)
    #expect(changes.contains { $0.rawNew.value.description.count > 27 })
    let points = (1...last).map { (seq: $0, at: Self.start) }
    let store = PortfolioAsOf(database)
    for cursor in [0, 5, last / 2, last - 1] as [Int64] {
      let values = try store.points(owner: .first, after: cursor, at: points.filter { $0.seq > cursor })
      for seq in (cursor + 1)...last {
        #expect(values[seq]?.assets == Self.replayed(changes, through: seq), "seq \(seq) after \(cursor)")
      }
    }
    // As of the last change, the amounts are the current ones.
    let now = try #require(try store.points(owner: .first, after: last - 1, at: [(last, Self.start)])[last])
    let current = try AssetTotals(database).current(owner: .first)
    #expect(
      now.assets.map { [$0.raw, BigUInt($0.wallets)] } == current.map { [$0.raw, BigUInt($0.wallets)] })
  }

  @Test func pricesAreTheOnesInEffectAtEachPoint() async throws {
    _ = try makeHistory()
    let eth = AssetKey(chain: "ethereum", token: nil)
    for (seconds, price) in [(100.0, "3000"), (200.0, "3100")] {
      let quote = try #require(USDPrice(text: price))
      _ = try await database.commitEvents(
        {
          try $0.applyQuotes(
            [PriceQuote(asset: eth, price: quote, source: .fixed, at: Self.start)],
            at: Self.start.addingTimeInterval(seconds), pushThreshold: 5_000)
        }, afterCommit: { _ in })
    }
    // Priced as of three moments, holding the same amounts at each.
    let last = try ChangeLog(database).lastSeq()
    func price(after seconds: Double) throws -> String? {
      let point = try PortfolioAsOf(database).points(
        owner: .first, after: 0, at: [(last, Self.start.addingTimeInterval(seconds))])[last]
      return point?.prices[eth]?.price.text
    }
    #expect(try price(after: 50) == nil)
    #expect(try price(after: 150) == "3000")
    #expect(try price(after: 250) == "3100")
  }

  @Test func anOlderDatabaseLearnsTheChangeBehindEachBalance() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("v7-\(UUID().uuidString)/p.sqlite").path
    try FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    let id = "3f1c4c1e-9f6b-4a53-8d1a-0d6f3f9b2a10"
    do {
      let queue = try DatabaseQueue(path: path)
      try Migrations.migrator.migrate(queue, upTo: "v7: notifications")
      try queue.write { db in
        try db.execute(
          sql:
            "INSERT INTO wallets VALUES (?, 1, 'ethereum', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', NULL, 1, 1)",
          arguments: [id])
        try db.execute(
          sql: "INSERT INTO balances VALUES (?, '', 'ETH', 18, '5', 1, 1), (?, '0xaa', 'T', 6, '0', 1, 1)",
          arguments: [id, id])
        for (token, old, new, at) in [("", "0", "3", 10), ("", "3", "5", 20), ("0xaa", "0", "0", 15)] {
          try db.execute(
            sql: """
              INSERT INTO changes (wallet_id, chain, token, symbol, decimals, raw_old, raw_new, block, at)
              VALUES (?, 'ethereum', ?, 'ETH', 18, ?, ?, 1, ?)
              """, arguments: [id, token, old, new, at])
        }
      }
    }
    let database = try AppDatabase(path: path)
    let named = try database.pool.read { db in
      try Row.fetchAll(db, sql: "SELECT changed_seq, changed_at FROM balances ORDER BY token").map {
        [$0[0] as Int64?, $0[1] as Int64?]
      }
    }
    #expect(named == [[2, 20], [3, 15]])
    // So the ETH amount as of each change is read back from the balance and the log.
    let store = PortfolioAsOf(database)
    #expect(try store.points(owner: .first, after: 0, at: [(1, Self.start)])[1]?.assets.first?.raw == 3)
    #expect(try store.points(owner: .first, after: 2, at: [(3, Self.start)])[3]?.assets.first?.raw == 5)
    // A balance written without it (by hand, say) is looked up in the log instead.
    try database.pool.write { db in try db.execute(sql: "UPDATE balances SET changed_seq = NULL") }
    #expect(try store.points(owner: .first, after: 2, at: [(3, Self.start)])[3]?.assets.first?.raw == 5)
    #expect(try store.points(owner: .first, after: 0, at: [(1, Self.start)])[1]?.assets.first?.raw == 3)
  }
}
