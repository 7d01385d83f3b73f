import BigInt
import PortfolioCore
import Testing

/// Prices and dollar amounts, checked against values worked out by hand.
struct USDTests {
  @Test(arguments: [
    ("3456.78", "3456.78"), ("1.234e-05", "0.00001234"), ("2E+3", "2000"), ("0.10", "0.1"),
    ("100", "100"), (".5", "0.5"), ("7.", "7"), ("1e0", "1"),
    ("0.000000000000000001", "0.000000000000000001"),
  ])
  func parsesDecimalText(text: String, shown: String) throws {
    let price = try #require(USDPrice(text: text))
    #expect(price.text == shown)
  }

  @Test(arguments: [
    "", "0", "0.0", "-1", "+1", "1,5", " 1", "1e", "e5", "1e99999", "NaN", "1.2.3", "0x10", "1e-40",
  ])
  func refusesOtherText(text: String) {
    #expect(USDPrice(text: text) == nil)
  }

  @Test func fromDoubleUsesTheShortestText() throws {
    // 0.1 has no exact binary form; its shortest round-trip text is the one the source wrote.
    #expect(try #require(USDPrice(0.1)).text == "0.1")
    #expect(try #require(USDPrice(3000.5)).text == "3000.5")
    #expect(try #require(USDPrice(1.234e-05)).text == "0.00001234")
    #expect(USDPrice(0) == nil)
    #expect(USDPrice(-3) == nil)
    #expect(USDPrice(.infinity) == nil)
  }

  @Test func equalPricesAreEqualValues() {
    #expect(USDPrice(text: "1.50") == USDPrice(text: "1.5"))
    #expect(USDPrice(text: "15e-1") == USDPrice(significand: 15, scale: 1))
  }

  @Test func chainlinkAnswerIsExact() throws {
    // ETH/USD answers with 8 decimals: 300050000000 is 3000.5.
    let price = try #require(USDPrice(significand: 300_050_000_000, scale: 8))
    #expect(price.text == "3000.5")
  }

  @Test func valueOfABalance() throws {
    let eth = try #require(USDPrice(text: "3000.5"))
    // 1.5 ETH (18 decimals) at 3000.5 = 4500.75
    #expect(USDAmount(raw: 1_500_000_000_000_000_000, decimals: 18, price: eth).text == "4500.75")
    // 1 wei at 3000.5 = 0.0000000000000030005 USD: rounds to 0.
    #expect(USDAmount(raw: 1, decimals: 18, price: eth).text == "0.00")
    // 123.456789 USDC (6 decimals) at 1.0001 = 123.4691346789 → 123.469135 (half up)
    let usdc = try #require(USDPrice(text: "1.0001"))
    #expect(USDAmount(raw: 123_456_789, decimals: 6, price: usdc).text == "123.469135")
    // Half a micro-dollar rounds up: 0.5 units of a 0-decimal asset at 0.000001 → 0.000001
    let tiny = try #require(USDPrice(text: "0.0000005"))
    #expect(USDAmount(raw: 1, decimals: 0, price: tiny).micros == 1)
    #expect(USDAmount(raw: 1, decimals: 0, price: try #require(USDPrice(text: "0.00000049"))).micros == 0)
  }

  @Test func amountsAddExactlyAndPrintTwoToSixDecimals() throws {
    let tenth = try #require(USDAmount(text: "0.1"))
    let fifth = try #require(USDAmount(text: "0.2"))
    #expect((tenth + fifth).text == "0.30")
    #expect(USDAmount(micros: 1).text == "0.000001")
    #expect(USDAmount(micros: 1_234_500_000).text == "1234.50")
    #expect(USDAmount(micros: -12_000_000).text == "-12.00")
    #expect((USDAmount.zero - tenth).text == "-0.10")
    #expect(USDAmount(text: "1.2345678") == nil)
    #expect(USDAmount(text: "1.") == nil)
    #expect(USDAmount(text: "abc") == nil)
  }

  @Test func distanceInPartsPerMillion() throws {
    let old = try #require(USDPrice(text: "100"))
    #expect(old.distance(to: try #require(USDPrice(text: "100.5"))) == 5_000)
    #expect(old.distance(to: try #require(USDPrice(text: "99.6"))) == 4_000)
    #expect(old.distance(to: old) == 0)
  }

  @Test func assetKeysOrderNativeFirst() {
    let native = AssetKey(chain: "ethereum", token: nil)
    let token = AssetKey(chain: "ethereum", token: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
    #expect([token, native].sorted() == [native, token])
    #expect(AssetKey(chain: "ethereum", token: "") == native)
  }
}
