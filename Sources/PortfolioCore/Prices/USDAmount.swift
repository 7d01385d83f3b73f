public import BigInt

/// An amount of US dollars as a whole number of micro-dollars (10^-6 USD). Values are rounded
/// once, per balance, and every total is the exact sum of the values it shows, so the parts a
/// user adds up always give the total on the screen.
public struct USDAmount: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let micros: BigInt

  public static let zero = USDAmount(micros: 0)
  static let microsPerDollar = BigUInt(1_000_000)

  public init(micros: BigInt) {
    self.micros = micros
  }

  /// The value of `raw` base units of an asset with `decimals` at `price` per whole unit,
  /// rounded half up to the micro-dollar.
  public init(raw: BigUInt, decimals: UInt8, price: USDPrice) {
    let numerator = raw * price.significand * Self.microsPerDollar
    let denominator = BigUInt(10).power(Int(decimals) + price.scale)
    let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
    micros = BigInt(remainder * 2 >= denominator ? quotient + 1 : quotient)
  }

  /// Decimal text with two to six digits after the point: `1234.50`, `0.000123`, `-12.00`.
  public var text: String {
    let magnitude = String(micros.magnitude)
    let padded = String(repeating: "0", count: max(0, 7 - magnitude.count)) + magnitude
    let point = padded.index(padded.endIndex, offsetBy: -6)
    var fraction = Substring(padded[point...])
    while fraction.count > 2, fraction.last == "0" { fraction = fraction.dropLast() }
    return (micros.sign == .minus && micros != 0 ? "-" : "") + padded[..<point] + "." + fraction
  }

  /// The amount `text` spells in the form `text` writes (at most six digits after the point,
  /// an optional leading '-'); nil otherwise.
  public init?(text: String) {
    var body = Substring(text)
    let negative = body.hasPrefix("-")
    if negative { body = body.dropFirst() }
    let parts = body.split(separator: ".", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty,
      whole.allSatisfy({ $0.isASCII && $0.isNumber })
    else { return nil }
    let fraction = parts.count == 2 ? parts[1] : ""
    guard fraction.count <= 6, fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
      parts.count == 1 || !fraction.isEmpty,
      let value = BigInt(whole + fraction + String(repeating: "0", count: 6 - fraction.count), radix: 10)
    else { return nil }
    micros = negative ? -value : value
  }

  public var description: String { text }

  public static func + (left: USDAmount, right: USDAmount) -> USDAmount {
    USDAmount(micros: left.micros + right.micros)
  }

  public static func - (left: USDAmount, right: USDAmount) -> USDAmount {
    USDAmount(micros: left.micros - right.micros)
  }

  public static func += (left: inout USDAmount, right: USDAmount) {
    left = left + right
  }

  public static func < (left: USDAmount, right: USDAmount) -> Bool { left.micros < right.micros }
}
