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
    guard (1...maxDigits).contains(utf8.count), utf8.allSatisfy(isASCIIDigit),
      let value = BigUInt(Substring(text), radix: 10), value <= max
    else { return nil }
    return value
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
