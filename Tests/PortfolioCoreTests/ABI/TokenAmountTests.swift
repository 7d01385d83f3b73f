import PortfolioCore
import Testing

struct TokenAmountTests {
  static let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935"

  @Test func formatExamples() {
    #expect(TokenAmount.format(raw: 1_500_000_000_000_000_000, decimals: 18) == "1.5")
    #expect(TokenAmount.format(raw: 0, decimals: 18) == "0")
    #expect(TokenAmount.format(raw: 1, decimals: 18) == "0.000000000000000001")
    #expect(TokenAmount.format(raw: 1_000_000, decimals: 6) == "1")
    #expect(TokenAmount.format(raw: 1_234_500, decimals: 6) == "1.2345")
    #expect(TokenAmount.format(raw: 10, decimals: 1) == "1")
    #expect(TokenAmount.format(raw: 123, decimals: 0) == "123")
    #expect(TokenAmount.format(raw: 0, decimals: 0) == "0")
  }

  /// Expected strings computed independently: Python `str(2**256 - 1)` split at the point by hand.
  @Test func formatMaxUInt256() {
    #expect(
      TokenAmount.format(raw: UInt256Text.max, decimals: 18)
        == "115792089237316195423570985008687907853269984665640564039457.584007913129639935")
    #expect(
      TokenAmount.format(raw: UInt256Text.max, decimals: 77)
        == "1.15792089237316195423570985008687907853269984665640564039457584007913129639935")
    #expect(TokenAmount.format(raw: UInt256Text.max, decimals: 0) == Self.max)
    #expect(TokenAmount.format(raw: 1, decimals: 77) == "0." + String(repeating: "0", count: 76) + "1")
  }

  @Test func parseExamples() {
    #expect(TokenAmount.parse("1.5", decimals: 18) == 1_500_000_000_000_000_000)
    #expect(TokenAmount.parse("0", decimals: 18) == 0)
    #expect(TokenAmount.parse("0.000000000000000001", decimals: 18) == 1)
    #expect(TokenAmount.parse("123", decimals: 0) == 123)
    #expect(TokenAmount.parse("1.2345", decimals: 6) == 1_234_500)
    #expect(TokenAmount.parse("007.5", decimals: 1) == 75)
    #expect(TokenAmount.parse(" 1.5\n", decimals: 18) == 1_500_000_000_000_000_000)  // Outer whitespace.
    #expect(
      TokenAmount.parse(
        "115792089237316195423570985008687907853269984665640564039457.584007913129639935", decimals: 18)
        == UInt256Text.max)
    #expect(TokenAmount.parse(Self.max, decimals: 0) == UInt256Text.max)
    #expect(
      TokenAmount.parse("1", decimals: 77) == UInt256Text.parse("1" + String(repeating: "0", count: 77)))
  }

  @Test(arguments: [
    ("1.5", 0),  // More fractional digits than decimals.
    ("1.50", 1),
    ("0.0000000000000000001", 18),
    ("-1", 18), ("+1", 18), ("1e18", 18), ("1E3", 0),
    ("1 000", 0), ("1. 5", 18), ("1 .5", 18),
    ("", 18), (" ", 18), (".", 18), ("1.", 18), (".5", 18), ("1.2.3", 18), ("1,5", 18),
    ("0x10", 0), ("١", 0), ("１", 0), ("½", 2), ("NaN", 18), ("inf", 18),
    ("115792089237316195423570985008687907853269984665640564039457584007913129639936", 0),  // 2^256
    ("2", 77),  // 2 × 10^77 ≥ 2^256
  ])
  func parseRejects(text: String, decimals: Int) {
    #expect(TokenAmount.parse(text, decimals: UInt8(decimals)) == nil, "\(text)")
  }

  @Test(arguments: ["0", "1", "0.1", "12.000345", "999999999999.999999"])
  func parseInvertsFormat(text: String) throws {
    let raw = try #require(TokenAmount.parse(text, decimals: 6))
    #expect(TokenAmount.format(raw: raw, decimals: 6) == text)
  }
}
