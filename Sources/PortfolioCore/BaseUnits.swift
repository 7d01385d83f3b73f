public import BigInt

/// An amount in an asset's smallest unit (wei, lamports, a token's base unit): an unsigned
/// integer below 2^256, exact. It is carried as its canonical decimal text (digits, no leading
/// zeros), the form JSON and SQLite keep, so comparing and storing need no conversion; the
/// integer is there for sums.
public struct BaseUnits: Sendable, Hashable, CustomStringConvertible {
  /// Decimal digits without leading zeros ("0" for zero).
  public let text: String

  public static let zero = BaseUnits(trusted: "0")

  public init(_ value: BigUInt) {
    self.init(trusted: String(value))
  }

  public init(_ value: UInt64) {
    self.init(trusted: String(value))
  }

  /// The amount `text` spells; nil unless it is canonical digits of a value below 2^256.
  public init?(text: String) {
    guard UInt256Text.parse(text) != nil, text == "0" || !text.hasPrefix("0") else { return nil }
    self.init(trusted: text)
  }

  private init(trusted text: String) {
    self.text = text
  }

  public var value: BigUInt { UInt256Text.parse(text) ?? 0 }

  public var isZero: Bool { text == "0" }

  /// The amount in whole units: (1500000000000000000, 18) → "1.5".
  public func formatted(decimals: UInt8) -> String {
    TokenAmount.format(digits: text, decimals: decimals)
  }

  public var description: String { text }
}
