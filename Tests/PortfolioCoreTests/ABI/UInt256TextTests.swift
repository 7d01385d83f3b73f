import BigInt
import PortfolioCore
import Testing

struct UInt256TextTests {
  /// 2^256 - 1 and 2^256 in decimal, from Python `str(2**256 - 1)` and `str(2**256)`.
  static let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
  static let twoTo256 = "115792089237316195423570985008687907853269984665640564039457584007913129639936"

  @Test func parsesValidText() {
    #expect(UInt256Text.parse("0") == 0)
    #expect(UInt256Text.parse("1500000000000000000") == 1_500_000_000_000_000_000)
    #expect(UInt256Text.parse("007") == 7)
    #expect(UInt256Text.parse(Self.max) == UInt256Text.max)
    #expect(Self.max.count == UInt256Text.maxDigits)
  }

  @Test(arguments: [
    "", " ", "+1", "-1", "-0", " 1", "1 ", "1 0", "1_000", "1,000", "1.0", "1e3", "0x10", "١", "１",
    twoTo256, "0" + max,  // 79 digits, even though the value fits.
    String(repeating: "9", count: 100_000),
  ])
  func rejects(text: String) {
    #expect(UInt256Text.parse(text) == nil)
  }

  /// Every length from 1 to 78 digits, across the 19-digit chunk seams, agrees with BigInt's
  /// own decimal parser (and 78-digit values above 2^256 - 1 are refused).
  @Test func agreesWithBigIntAtEveryLength() {
    var generator = SystemRandomNumberGenerator()
    for length in 1...UInt256Text.maxDigits {
      for _ in 0..<20 {
        let text = String(
          (0..<length).map { _ in Character(String(Int.random(in: 0...9, using: &generator))) })
        let reference = BigUInt(text, radix: 10).flatMap { $0 <= UInt256Text.max ? $0 : nil }
        #expect(UInt256Text.parse(text) == reference, "\(text)")
      }
    }
    #expect(UInt256Text.parse("10000000000000000000") == BigUInt(10).power(19))
    #expect(UInt256Text.parse("9999999999999999999") == BigUInt(10).power(19) - 1)
  }

  @Test func formatsDigits() {
    #expect(UInt256Text.format(0) == "0")
    #expect(UInt256Text.format(UInt256Text.max) == Self.max)
    #expect(UInt256Text.format(1_000_000) == "1000000")
  }
}

/// `BaseUnits` takes only canonical digits of a uint256.
@Suite struct BaseUnitsTests {
  @Test func acceptsCanonicalDigitsBelowTwoToThe256() {
    let max = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
    #expect(BaseUnits(text: "0")?.text == "0")
    #expect(BaseUnits(text: "1500000000000000000")?.formatted(decimals: 18) == "1.5")
    #expect(BaseUnits(text: max)?.value == UInt256Text.max)
  }

  @Test(arguments: [
    "", "-1", "+1", "01", "1.5", "1e18", " 1", "12abc", "0x10",
    "115792089237316195423570985008687907853269984665640564039457584007913129639936",
  ])
  func refusesAnythingElse(_ text: String) {
    #expect(BaseUnits(text: text) == nil)
  }

  @Test func comesFromIntegersExactly() {
    #expect(BaseUnits(UInt64.max).text == "18446744073709551615")
    #expect(BaseUnits(UInt256Text.max).value == UInt256Text.max)
    #expect(BaseUnits.zero.isZero)
  }
}
