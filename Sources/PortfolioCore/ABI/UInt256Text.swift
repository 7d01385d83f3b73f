public import BigInt

/// Plain decimal text of a uint256 (e.g. base units stored as TEXT), strictly validated.
public enum UInt256Text {
  /// 2^256 - 1, the largest uint256.
  public static let max: BigUInt = (BigUInt(1) << 256) - 1
  /// 2^256 - 1 has 78 decimal digits, so no valid text is longer.
  public static let maxDigits = 78

  /// The value of `text` when it is 1 to 78 ASCII digits and below 2^256; nil otherwise
  /// (no sign, no whitespace, no separators, no exponent).
  public static func parse(_ text: some StringProtocol) -> BigUInt? {
    let utf8 = text.utf8
    guard (1...maxDigits).contains(utf8.count) else { return nil }
    // Nineteen digits at a time fit a UInt64; sums over a year of history parse millions of
    // amounts, several times faster so than through BigUInt's general radix parser.
    var value = BigUInt(0)
    var chunk: UInt64 = 0
    var chunkDigits = 0
    for unit in utf8 {
      guard isASCIIDigit(unit) else { return nil }
      chunk = chunk * 10 + UInt64(unit - UInt8(ascii: "0"))
      chunkDigits += 1
      if chunkDigits == 19 {
        value = value * BigUInt(powersOfTen[19]) + BigUInt(chunk)
        chunk = 0
        chunkDigits = 0
      }
    }
    if chunkDigits > 0 {
      value = value * BigUInt(powersOfTen[chunkDigits]) + BigUInt(chunk)
    }
    return value <= max ? value : nil
  }

  private static let powersOfTen: [UInt64] = (0...19).map { exponent in
    (0..<exponent).reduce(UInt64(1)) { power, _ in power &* 10 }
  }

  /// The decimal digits of `value`, with no separators.
  public static func format(_ value: BigUInt) -> String {
    String(value)
  }

  /// ASCII 0-9 only: `Character.isNumber` would also accept other scripts' digits.
  static func isASCIIDigit(_ unit: UInt8) -> Bool {
    unit >= UInt8(ascii: "0") && unit <= UInt8(ascii: "9")
  }
}
