import BigInt
import PortfolioCore

/// A decimal number as the control API receives it: text in JSON's number grammar
/// (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`), kept as `±digits × 10^-scale`. Holding the text
/// as well lets devchain write a price back into JSON exactly as it was set.
struct DecimalText: Sendable, Hashable {
  let text: String
  let negative: Bool
  let digits: BigUInt
  /// Digits after the point, less the exponent; may be negative (`2e3` has scale -3).
  let scale: Int

  /// Long enough for any price; bounds the work a hostile text can cause.
  static let maxLength = 100
  static let maxExponentDigits = 4

  /// Nil unless `text` is a JSON number.
  init?(_ text: String) {
    let utf8 = Array(text.utf8)
    guard !utf8.isEmpty, utf8.count <= Self.maxLength else { return nil }
    var index = 0
    negative = utf8[0] == UInt8(ascii: "-")
    if negative { index += 1 }
    let whole = Self.digitRun(utf8, from: index)
    guard !whole.isEmpty, whole.count == 1 || whole.first != UInt8(ascii: "0") else { return nil }
    index += whole.count
    var fraction: ArraySlice<UInt8> = []
    if index < utf8.count, utf8[index] == UInt8(ascii: ".") {
      fraction = Self.digitRun(utf8, from: index + 1)
      guard !fraction.isEmpty else { return nil }
      index += 1 + fraction.count
    }
    var exponent = 0
    if index < utf8.count, utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E") {
      index += 1
      var exponentNegative = false
      if index < utf8.count, utf8[index] == UInt8(ascii: "-") || utf8[index] == UInt8(ascii: "+") {
        exponentNegative = utf8[index] == UInt8(ascii: "-")
        index += 1
      }
      let exponentDigits = Self.digitRun(utf8, from: index)
      guard (1...Self.maxExponentDigits).contains(exponentDigits.count),
        let value = Int(String(decoding: exponentDigits, as: UTF8.self))
      else { return nil }
      exponent = exponentNegative ? -value : value
      index += exponentDigits.count
    }
    guard index == utf8.count,
      let digits = BigUInt(String(decoding: whole + fraction, as: UTF8.self), radix: 10)
    else { return nil }
    self.text = text
    self.digits = digits
    self.scale = fraction.count - exponent
  }

  /// A JSON value the control API accepts as a number: a string holding one, or a JSON number
  /// (written back as the shortest text that reads as the same value).
  init?(json: JSONValue) {
    switch json {
    case .string(let text): self.init(text)
    case .integer(let value): self.init(String(value))
    case .unsigned(let value): self.init(String(value))
    case .double(let value) where value.isFinite: self.init("\(value)")
    default: return nil
    }
  }

  var isPositive: Bool { !negative && digits > 0 }

  /// The whole number `self × 10^decimals`, or nil when that is not a whole number (more
  /// digits after the point than `decimals`) or needs more than `maxDigits` digits.
  func scaled(by decimals: Int, maxDigits: Int) -> BigInt? {
    let shift = decimals - scale
    let magnitude: BigUInt
    if shift >= 0 {
      // A shift this large only makes a number nobody can hold; refuse before multiplying.
      guard shift <= maxDigits else { return digits == 0 ? 0 : nil }
      magnitude = digits * BigUInt(10).power(shift)
    } else {
      // Dropping more digits than there are leaves a remainder unless the number is zero.
      guard -shift <= String(digits).count else { return digits == 0 ? 0 : nil }
      let (quotient, remainder) = digits.quotientAndRemainder(dividingBy: BigUInt(10).power(-shift))
      guard remainder == 0 else { return nil }
      magnitude = quotient
    }
    guard String(magnitude).count <= maxDigits else { return nil }
    return negative ? -BigInt(magnitude) : BigInt(magnitude)
  }

  private static func digitRun(_ utf8: [UInt8], from start: Int) -> ArraySlice<UInt8> {
    guard start < utf8.count else { return [] }
    let end = utf8[start...].firstIndex { !($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
    return utf8[start..<(end ?? utf8.count)]
  }
}
