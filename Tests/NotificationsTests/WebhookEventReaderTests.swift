import BigInt
import Foundation
import PortfolioCore
import Storage
import Testing

@testable import Notifications

/// `value.changed` events read back from a real database: each carries the portfolio as it was
/// at its own `seq`, whenever and from wherever in the log it is read.
@Suite struct WebhookEventReaderTests {
  let database: AppDatabase
  let reader: WebhookEventReader
  static let start = Date(millisecondsSince1970: 1_767_225_600_000)
  static let eth = AssetKey(chain: "ethereum", token: nil)
  static let usdc = AssetKey(chain: "ethereum", token: "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48")

  init() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("reader-\(UUID().uuidString)/n.sqlite").path
    database = try AppDatabase(path: path)
    reader = WebhookEventReader(database: database)
  }

  func addWallet(_ index: Int) throws -> Wallet {
    let wallet = Wallet(
      chain: "ethereum",
      address: "0x" + String(repeating: "0", count: 38) + String(format: "%02x", index),
      label: nil, createdAt: Self.start, updatedAt: Self.start)
    try WalletStore(database).addAll([wallet])
    return wallet
  }

  /// Stores a reading of the wallet's ETH (whole coins) and, when given, its USDC (whole dollars).
  func read(_ wallet: Wallet, eth: Int, usdc: Int? = nil, after seconds: Double) throws {
    let at = Self.start.addingTimeInterval(seconds)
    var readings = [
      StoredBalance(
        walletID: wallet.id, token: nil, symbol: "ETH", decimals: 18,
        raw: BaseUnits(BigUInt(eth) * BigUInt(10).power(18)), block: nil, updatedAt: at)
    ]
    if let usdc {
      readings.append(
        StoredBalance(
          walletID: wallet.id, token: Self.usdc.token, symbol: "USDC", decimals: 6,
          raw: BaseUnits(BigUInt(usdc) * 1_000_000), block: nil, updatedAt: at))
    }
    _ = try BalanceStore(database).apply(chain: "ethereum", readings: readings)
  }

  /// Stores prices as the refresher does; answers the `seq` the pushed moves took.
  @discardableResult
  func price(_ prices: [AssetKey: String], after seconds: Double) async throws -> Int64? {
    let at = Self.start.addingTimeInterval(seconds)
    let quotes = prices.compactMap { asset, text in
      USDPrice(text: text).map { PriceQuote(asset: asset, price: $0, source: .fixed, at: at) }
    }
    return try await database.commitEvents(
      { try $0.applyQuotes(quotes, at: at, pushThreshold: 5_000) }, afterCommit: { _ in }
    ).seq
  }

  func valueEvents(after cursor: Int64, limit: Int = 200) throws -> [WebhookEvent] {
    try reader.events(after: cursor, owner: .first, limit: limit).events.filter { $0.type == .valueChanged }
  }

  static func usd(_ event: WebhookEvent?) -> String? {
    guard case .object(let data)? = event?.data, case .object(let value)? = data["value"],
      case .string(let usd)? = value["usd"]
    else { return nil }
    return usd
  }

  @Test func aPriceMoveKeepsTheValueOfItsSeqAfterTheBalanceChanges() async throws {
    let wallet = try addWallet(1)
    try read(wallet, eth: 2, after: 0)
    let moved = try #require(try await price([Self.eth: "3000"], after: 60))
    try read(wallet, eth: 5, after: 120)
    let later = try #require(try await price([Self.eth: "3100"], after: 180))

    let events = try valueEvents(after: 0)
    #expect(events.map(\.seq) == [moved, later])
    // 2 ETH at 3000 when the price moved, not the 5 ETH at 3100 held now.
    #expect(Self.usd(events.first) == "6000.00")
    #expect(Self.usd(events.last) == "15500.00")
    guard case .object(let data)? = events.first?.data, case .array(let totals)? = data["totals"],
      case .object(let eth)? = totals.first
    else {
      Issue.record("no totals in \(String(describing: events.first?.data))")
      return
    }
    #expect(eth["amount"] == .string("2"))
    #expect(eth["price"] == .string("3000"))
    #expect(eth["oldest_update"] == .string(Self.start.iso8601))
  }

  @Test func aRetryOrARedeliveryReadsTheSameDataAsTheFirstRead() async throws {
    let first = try addWallet(1)
    let second = try addWallet(2)
    try read(first, eth: 1, usdc: 100, after: 0)
    try read(second, eth: 3, after: 1)
    var moves: [Int64] = []
    for step in 1...6 {
      let eth = step % 2 == 0 ? "2000" : "2100"
      let usdc = step % 3 == 0 ? "1.01" : "1"
      moves.append(try #require(try await price([Self.eth: eth, Self.usdc: usdc], after: Double(step * 10))))
      try read(first, eth: step, usdc: 100 + step, after: Double(step * 10 + 5))
      if step == 3 { try read(second, eth: 0, after: Double(step * 10 + 6)) }
    }
    let fromStart = try valueEvents(after: 0)
    #expect(fromStart.map(\.seq) == moves)
    for event in fromStart {
      // The pending event alone, as a retry reads it; and a batch that starts just before it.
      let retried = try valueEvents(after: event.seq - 1, limit: 1)
      #expect(retried.map(\.data) == [event.data])
      let resumed = try valueEvents(after: event.seq - 3)
      #expect(resumed.first { $0.seq == event.seq }?.data == event.data)
    }
    // Reading through batches of a few events at a time gives every event the same data.
    var cursor: Int64 = 0
    var paged: [WebhookEvent] = []
    while true {
      let (events, through) = try reader.events(after: cursor, owner: .first, limit: 3)
      paged += events.filter { $0.type == .valueChanged }
      guard through > cursor else { break }
      cursor = through
    }
    #expect(paged.map(\.data) == fromStart.map(\.data))
  }

  @Test func onlyAnAssetHeldAtTheMoveMakesAnEvent() async throws {
    let wallet = try addWallet(1)
    try read(wallet, eth: 1, after: 0)
    try await price([Self.eth: "3000"], after: 10)
    // USDC moves before the wallet holds any: no event, though it is held now.
    let unheld = try #require(try await price([Self.usdc: "1"], after: 20))
    try read(wallet, eth: 1, usdc: 50, after: 30)
    let held = try #require(try await price([Self.usdc: "1.02"], after: 40))
    let seqs = try valueEvents(after: 0).map(\.seq)
    #expect(!seqs.contains(unheld))
    #expect(seqs.contains(held))
  }

  @Test func aWalletRemovedSinceCountsNowhere() async throws {
    let kept = try addWallet(1)
    let removed = try addWallet(2)
    try read(kept, eth: 1, after: 0)
    try read(removed, eth: 4, after: 0)
    try await price([Self.eth: "1000"], after: 10)
    #expect(try valueEvents(after: 0).map { Self.usd($0) } == ["5000.00"])
    // Its changes leave the log with it, as the portfolio's history forgets it too.
    #expect(try WalletStore(database).delete(id: removed.id, owner: .first))
    #expect(try valueEvents(after: 0).map { Self.usd($0) } == ["1000.00"])
  }
}
