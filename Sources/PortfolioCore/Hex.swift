/// Hexadecimal text ↔ bytes, without Foundation.
public enum Hex {
  static let lowerDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Lowercase hex with no `0x` prefix, two digits per byte.
  public static func encode(_ bytes: some Sequence<UInt8>) -> String {
    var ascii = [UInt8]()
    ascii.reserveCapacity(bytes.underestimatedCount * 2)
    for byte in bytes {
      ascii.append(lowerDigits[Int(byte >> 4)])
      ascii.append(lowerDigits[Int(byte & 0x0F)])
    }
    return String(decoding: ascii, as: UTF8.self)
  }

  /// Decodes hex digits of either case, after an optional `0x` (or `0X`) prefix.
  /// Returns nil for an odd number of digits or any non-hex character.
  public static func decode(_ text: some StringProtocol) -> [UInt8]? {
    var utf8 = Substring(text).utf8[...]
    if utf8.count >= 2, utf8.first == UInt8(ascii: "0"),
      utf8.dropFirst().first == UInt8(ascii: "x") || utf8.dropFirst().first == UInt8(ascii: "X")
    {
      utf8 = utf8.dropFirst(2)
    }
    guard utf8.count % 2 == 0 else { return nil }
    var bytes = [UInt8]()
    bytes.reserveCapacity(utf8.count / 2)
    var high: UInt8?
    for unit in utf8 {
      guard let nibble = nibble(unit) else { return nil }
      if let h = high {
        bytes.append(h << 4 | nibble)
        high = nil
      } else {
        high = nibble
      }
    }
    return bytes
  }

  /// Value of one ASCII hex digit, or nil if `unit` is not one.
  static func nibble(_ unit: UInt8) -> UInt8? {
    switch unit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): unit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): unit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): unit - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
