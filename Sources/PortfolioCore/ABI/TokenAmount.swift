public import BigInt

/// Exact conversion between a token's raw integer amount and its decimal text.
/// No floating point anywhere: balances are up to 78 digits and must round-trip exactly.
public enum TokenAmount {
  /// The raw amount divided by 10^decimals, e.g. (1500000000000000000, 18) → "1.5".
  /// No trailing fractional zeros and no trailing dot; decimals 0 gives the integer.
  public static func format(raw: BigUInt, decimals: UInt8) -> String {
    format(digits: String(raw), decimals: decimals)
  }

  /// The same for base units already written as decimal digits without leading zeros, as
  /// SQLite keeps them: no round trip through a big integer.
  public static func format(digits: String, decimals: UInt8) -> String {
    let scale = Int(decimals)
    guard scale > 0 else { return digits }
    // Left-pad so there is at least one digit before the point: 1 (18 decimals) → "0.000…1".
    let padded = String(repeating: "0", count: Swift.max(0, scale + 1 - digits.utf8.count)) + digits
    let point = padded.utf8.index(padded.utf8.endIndex, offsetBy: -scale)
    let whole = padded[..<point]
    let fraction = padded[point...].utf8.reversed().drop { $0 == UInt8(ascii: "0") }.reversed()
    return fraction.isEmpty ? String(whole) : whole + "." + String(decoding: fraction, as: UTF8.self)
  }

  /// The raw amount for decimal text such as "1.5", the inverse of `format`.
  ///
  /// Accepts digits with an optional point and at most `decimals` fractional digits (at least
  /// one digit on each side of the point); surrounding whitespace is ignored. Returns nil for
  /// anything else — signs, exponents, separators, inner whitespace — or a result of 2^256 or more.
  public static func parse(_ text: String, decimals: UInt8) -> BigUInt? {
    let utf8 = Array(text.trimmingWhitespace.utf8)
    let point = utf8.firstIndex(of: UInt8(ascii: "."))
    let whole = utf8[..<(point ?? utf8.endIndex)]
    let fraction = point.map { utf8[($0 + 1)...] } ?? []
    // A second point, a sign or an exponent all fail the digit check.
    guard !whole.isEmpty, point == nil || !fraction.isEmpty, fraction.count <= Int(decimals),
      whole.allSatisfy(UInt256Text.isASCIIDigit), fraction.allSatisfy(UInt256Text.isASCIIDigit)
    else { return nil }
    // whole ++ fraction ++ zeros is the raw amount; without leading zeros the 78-digit limit is exact.
    let zeros = repeatElement(UInt8(ascii: "0"), count: Int(decimals) - fraction.count)
    let digits = (whole + fraction + zeros).drop { $0 == UInt8(ascii: "0") }
    return digits.isEmpty ? 0 : UInt256Text.parse(String(decoding: digits, as: UTF8.self))
  }
}
