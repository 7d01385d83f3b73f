/// Base58 with the Bitcoin alphabet (also used by Solana): no 0, O, I or l,
/// so addresses survive being read aloud or retyped.
public enum Base58 {
  static let alphabet: [UInt8] = Array(
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)

  /// ASCII code → digit value, 0xFF where the character is not in the alphabet.
  static let digitValues: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 128)
    for (value, ascii) in alphabet.enumerated() { table[Int(ascii)] = UInt8(value) }
    return table
  }()

  /// Digit value of one UTF-8 code unit, or nil if it is not a base58 digit.
  static func digitValue(_ unit: UInt8) -> UInt8? {
    guard unit < 128 else { return nil }
    let value = digitValues[Int(unit)]
    return value == 0xFF ? nil : value
  }

  /// Encodes `bytes`; each leading zero byte becomes a leading '1'.
  public static func encode(_ bytes: [UInt8]) -> String {
    let zeros = bytes.prefix { $0 == 0 }.count
    // Base-58 digits, least significant first; schoolbook base conversion.
    var digits = [UInt8]()
    digits.reserveCapacity((bytes.count - zeros) * 138 / 100 + 1)
    for byte in bytes[zeros...] {
      var carry = Int(byte)
      for i in digits.indices {
        carry += Int(digits[i]) << 8
        digits[i] = UInt8(carry % 58)
        carry /= 58
      }
      while carry > 0 {
        digits.append(UInt8(carry % 58))
        carry /= 58
      }
    }
    var ascii = [UInt8](repeating: alphabet[0], count: zeros)
    ascii.reserveCapacity(zeros + digits.count)
    for digit in digits.reversed() { ascii.append(alphabet[Int(digit)]) }
    return String(decoding: ascii, as: UTF8.self)
  }

  /// Decodes base58 text; each leading '1' becomes a leading zero byte.
  /// Returns nil if any character is outside the alphabet (whitespace included).
  public static func decode(_ text: String) -> [UInt8]? {
    var digits = [UInt8]()
    digits.reserveCapacity(text.utf8.count)
    for unit in text.utf8 {
      guard let value = digitValue(unit) else { return nil }
      digits.append(value)
    }
    return decode(digits: digits)
  }

  /// Decodes already-validated digit values (each 0..<58), most significant first.
  static func decode(digits: [UInt8]) -> [UInt8] {
    let zeros = digits.prefix { $0 == 0 }.count
    // Bytes, least significant first; schoolbook base conversion.
    var bytes = [UInt8]()
    bytes.reserveCapacity(digits.count * 733 / 1000 + 1)
    for digit in digits[zeros...] {
      var carry = Int(digit)
      for i in bytes.indices {
        carry += Int(bytes[i]) * 58
        bytes[i] = UInt8(carry & 0xFF)
        carry >>= 8
      }
      while carry > 0 {
        bytes.append(UInt8(carry & 0xFF))
        carry >>= 8
      }
    }
    return [UInt8](repeating: 0, count: zeros) + bytes.reversed()
  }
}
