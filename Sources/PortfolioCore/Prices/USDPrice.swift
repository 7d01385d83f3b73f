public import BigInt

/// A price of one whole unit of an asset in US dollars, as an exact decimal:
/// `significand × 10^-scale`, always above zero. Sources answer in decimal text (CoinGecko's
/// JSON numbers, a Chainlink answer and its `decimals()`), and no binary floating point is
/// ever used to hold or multiply it.
public struct USDPrice: Sendable, Hashable, CustomStringConvertible {
  public let significand: BigUInt
  /// Digits after the decimal point.
  public let scale: Int

  /// The most digits after the point a price keeps: a price of 10^-30 dollars is below any
  /// token's dust, and the bound keeps hostile exponents from costing time.
  public static let maxScale = 36
  /// The most digits before the point.
  public static let maxWholeDigits = 24

  /// `significand × 10^-scale`; nil unless above zero and within the bounds. Trailing zeros
  /// are dropped, so equal prices are equal values.
  public init?(significand: BigUInt, scale: Int) {
    guard significand > 0 else { return nil }
    var significand = significand
    var scale = scale
    while scale > 0, significand % 10 == 0 {
      significand /= 10
      scale -= 1
    }
    while scale < 0 {
      significand *= 10
      scale += 1
    }
    guard scale <= Self.maxScale, String(significand).count - scale <= Self.maxWholeDigits else {
      return nil
    }
    self.significand = significand
    self.scale = scale
  }

  /// Decimal text: digits with an optional point and an optional exponent (`3456.78`,
  /// `1.234e-05`, `2E+3`). No sign, no spaces; nil for zero, for anything else and for prices
  /// outside the bounds.
  public init?(text: String) {
    let utf8 = Array(text.utf8)
    let exponentAt = utf8.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    let mantissa = utf8[..<(exponentAt ?? utf8.endIndex)]
    var exponent = 0
    if let exponentAt {
      var digits = utf8[(exponentAt + 1)...]
      var negative = false
      if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
        negative = sign == UInt8(ascii: "-")
        digits = digits.dropFirst()
      }
      guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(Self.isDigit),
        let value = Int(String(decoding: digits, as: UTF8.self))
      else { return nil }
      exponent = negative ? -value : value
    }
    let point = mantissa.firstIndex(of: UInt8(ascii: "."))
    let whole = mantissa[..<(point ?? mantissa.endIndex)]
    let fraction = point.map { mantissa[($0 + 1)...] } ?? []
    guard !whole.isEmpty || !fraction.isEmpty, whole.allSatisfy(Self.isDigit),
      fraction.allSatisfy(Self.isDigit), whole.count + fraction.count <= 80
    else { return nil }
    guard let significand = BigUInt(String(decoding: whole + fraction, as: UTF8.self), radix: 10) else {
      return nil
    }
    self.init(significand: significand, scale: fraction.count - exponent)
  }

  /// A price a JSON parser already turned into a `Double`: its shortest round-trip text, which
  /// is the text the source wrote whenever that had 15 significant digits or fewer.
  public init?(_ value: Double) {
    guard value.isFinite, value > 0 else { return nil }
    self.init(text: "\(value)")
  }

  /// Plain decimal text without exponent: `3456.78`, `0.00001234`.
  public var text: String {
    let digits = String(significand)
    guard scale > 0 else { return digits }
    let padded = String(repeating: "0", count: max(0, scale + 1 - digits.count)) + digits
    let point = padded.index(padded.endIndex, offsetBy: -scale)
    return padded[..<point] + "." + padded[point...]
  }

  public var description: String { text }

  /// How far `other` is from this price, in parts per million of this one (always ≥ 0).
  public func distance(to other: USDPrice) -> BigUInt {
    let common = max(scale, other.scale)
    let mine = significand * BigUInt(10).power(common - scale)
    let theirs = other.significand * BigUInt(10).power(common - other.scale)
    let difference = mine > theirs ? mine - theirs : theirs - mine
    return difference * 1_000_000 / mine
  }

  private static func isDigit(_ unit: UInt8) -> Bool {
    unit >= UInt8(ascii: "0") && unit <= UInt8(ascii: "9")
  }
}
