import BigInt
import Foundation
import LiveUpdates
import PortfolioCore
import Storage
import Testing

/// USD values over time on a scenario worked out by hand: two priced assets and an unpriced
/// one, three price points, and a balance change between them.
@Suite struct ValueHistoryTests {
  static let start: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
  static let minute: Int64 = 60_000
  static let usdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
  static let unpriced = "0x6B175474E89094C44Da98b954EedeAC495271d0F"

  let database: AppDatabase
  let wallet: Wallet

  init() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("value-\(UUID().uuidString)/p.sqlite").path
    database = try AppDatabase(path: path)
    let time = Date(millisecondsSince1970: Self.start)
    wallet = Wallet(
      chain: "ethereum", address: "0x00000000000000000000000000000000000000a1", label: nil, createdAt: time,
      updatedAt: time)
    try WalletStore(database).addAll([wallet])
  }

  func read(eth: String, usdc: String, other: String, atMinute minute: Int64) throws {
    let at = Date(millisecondsSince1970: Self.start + minute * Self.minute)
    _ = try BalanceStore(database).apply(
      chain: "ethereum",
      readings: [
        StoredBalance(
          walletID: wallet.id, token: nil, symbol: "ETH", decimals: 18,
          raw: try #require(BaseUnits(text: eth)),
          block: nil, updatedAt: at),
        StoredBalance(
          walletID: wallet.id, token: Self.usdc, symbol: "USDC", decimals: 6,
          raw: try #require(BaseUnits(text: usdc)), block: nil, updatedAt: at),
        StoredBalance(
          walletID: wallet.id, token: Self.unpriced, symbol: "DAI", decimals: 18,
          raw: try #require(BaseUnits(text: other)), block: nil, updatedAt: at),
      ])
  }

  @discardableResult
  func price(eth: String?, usdc: String?, atMinute minute: Int64) async throws -> PriceWrite {
    var quotes: [PriceQuote] = []
    let at = Date(millisecondsSince1970: Self.start + minute * Self.minute)
    if let eth {
      quotes.append(
        PriceQuote(
          asset: AssetKey(chain: "ethereum", token: nil), price: try #require(USDPrice(text: eth)),
          source: .coingecko, at: at))
    }
    if let usdc {
      quotes.append(
        PriceQuote(
          asset: AssetKey(chain: "ethereum", token: Self.usdc), price: try #require(USDPrice(text: usdc)),
          source: .chainlink, at: at))
    }
    let taken = quotes
    return try await database.commitEvents { transaction in
      try transaction.applyQuotes(taken, at: at, pushThreshold: 5_000)
    } afterCommit: { _ in
    }
  }

  /// 2 ETH, 1,000 USDC and 5 DAI from minute 10; prices at 0:20 (ETH 3000, USDC 1),
  /// 1:20 (3100.5, 0.9999) and 2:40 (2900.25); 0.5 ETH leaves at 2:10.
  func scenario() async throws {
    try read(eth: "2000000000000000000", usdc: "1000000000", other: "5000000000000000000", atMinute: 10)
    try await price(eth: "3000", usdc: "1.0", atMinute: 20)
    try await price(eth: "3100.5", usdc: "0.9999", atMinute: 80)
    try read(eth: "1500000000000000000", usdc: "1000000000", other: "5000000000000000000", atMinute: 130)
    try await price(eth: "2900.25", usdc: "0.9999", atMinute: 160)
  }

  @Test func hourlyValuesMatchTheWorkedNumbers() async throws {
    try await scenario()
    let buckets = PortfolioHistory.Buckets(
      from: Date(millisecondsSince1970: Self.start),
      to: Date(millisecondsSince1970: Self.start + 210 * Self.minute), interval: .hour)
    let body = PortfolioHistory.json(
      closes: try HourlyTotals(database).closes(
        owner: .first, fromHour: buckets.firstHour, throughHour: buckets.lastHour),
      prices: try PriceStore(database).closes(fromHour: buckets.firstHour, throughHour: buckets.lastHour),
      buckets: buckets)
    let answer = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    let totals = try #require(answer["totals"] as? [[String: Any]])
    // Hour 0: 2 × 3000 + 1000 × 1 = 7000; hour 1: 2 × 3100.5 + 1000 × 0.9999 = 6201 + 999.9;
    // hours 2 and 3: 1.5 × 2900.25 + 999.9 = 4350.375 + 999.9. DAI has no price all along.
    #expect(totals.map { $0["usd"] as? String } == ["7000.00", "7200.90", "5350.275", "5350.275"])
    #expect(totals.map { $0["unpriced_assets"] as? Int } == [1, 1, 1, 1])
    let series = try #require(answer["series"] as? [[String: Any]])
    let eth = try #require(series.first { $0["token"] is NSNull })
    let points = try #require(eth["points"] as? [[String: Any]])
    #expect(points.map { $0["usd"] as? String } == ["6000.00", "6201.00", "4350.375", "4350.375"])
    #expect(points.map { $0["price"] as? String } == ["3000", "3100.5", "2900.25", "2900.25"])
    let dai = try #require(series.first { $0["token"] as? String == Self.unpriced })
    #expect((dai["points"] as? [[String: Any]])?.allSatisfy { $0["usd"] is NSNull } == true)
  }

  @Test func aChangeIsValuedAtThePriceOfItsTime() async throws {
    try await scenario()
    let history = try ChangeLog(database).history(walletID: wallet.id, before: nil, limit: 10)
    let prices = try PriceStore(database).prices(of: history)
    let ethChanges = history.filter { $0.token == nil }
    #expect(ethChanges.count == 2)
    // At 2:10 the price in effect was 3100.5 (2900.25 came at 2:40): 1.5 ETH = 4650.75, and
    // the 0.5 ETH that left = -1550.25.
    let latest = Representation.change(ethChanges[0], prices: prices)
    #expect(latest.field("usd") == "4650.75")
    #expect(latest.field("usd_delta") == "-1550.25")
    #expect(latest.field("price") == "3100.5")
    // At 0:10 nothing was priced yet.
    let first = Representation.change(ethChanges[1], prices: prices)
    #expect(first["usd"] == .null)
    #expect(first["price"] == .null)
  }

  @Test func movesArePushedPastTheThresholdFromTheLastPushedPrice() async throws {
    try read(eth: "1", usdc: "1", other: "0", atMinute: 1)
    let first = try await price(eth: "1000", usdc: nil, atMinute: 2)
    #expect(first.pushedMoves.count == 1)  // a first price is news
    let seq = try #require(first.seq)
    #expect(seq > (try ChangeLog(database).lastSeq()) - 1)
    // +0.3 %: stored, not pushed.
    let small = try await price(eth: "1003", usdc: nil, atMinute: 3)
    #expect(small.moves.count == 1 && small.pushedMoves.isEmpty && small.seq == nil)
    // Another +0.3 % drifts 0.6 % from the pushed 1000: pushed.
    let drift = try await price(eth: "1006", usdc: nil, atMinute: 4)
    #expect(drift.pushedMoves.count == 1)
    #expect(try #require(drift.seq) > seq)
    // The same price again moves nothing.
    let same = try await price(eth: "1006", usdc: nil, atMinute: 5)
    #expect(same.moves.isEmpty)
    #expect(try PriceStore(database).current()[AssetKey(chain: "ethereum", token: nil)]?.price.text == "1006")
  }

  @Test func expiredPricesLeaveTheAssetUnpriced() async throws {
    try read(eth: "1000000000000000000", usdc: "0", other: "0", atMinute: 1)
    try await price(eth: "1000", usdc: nil, atMinute: 2)
    let cutoff = Date(millisecondsSince1970: Self.start + 10 * Self.minute)
    let write = try await database.commitEvents { transaction in
      try transaction.expirePrices(takenBefore: cutoff, at: cutoff)
    } afterCommit: { _ in
    }
    #expect(write.moves.map(\.asset) == [AssetKey(chain: "ethereum", token: nil)])
    #expect(write.seq != nil)
    #expect(try PriceStore(database).current().isEmpty)
    // A change after the expiry has no price; one before keeps the price of its time.
    try read(eth: "2000000000000000000", usdc: "0", other: "0", atMinute: 11)
    let history = try ChangeLog(database).history(walletID: wallet.id, before: nil, limit: 10)
    let prices = try PriceStore(database).prices(of: history)
    #expect(prices[history[0].seq] == nil)
  }
}

extension JSONValue {
  fileprivate func field(_ key: String) -> String? { self[key]?.stringValue }
}
