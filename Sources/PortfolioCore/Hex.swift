/// Hexadecimal text ↔ bytes, without Foundation. Both directions work on contiguous UTF-8
/// buffers: balance refreshes push megabytes of hex through here.
public enum Hex {
  static let lowerDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// Lowercase hex with no `0x` prefix, two digits per byte.
  public static func encode(_ bytes: some Sequence<UInt8>) -> String {
    encode(Array(bytes))
  }

  public static func encode(_ bytes: [UInt8]) -> String {
    String(unsafeUninitializedCapacity: bytes.count * 2) { output in
      lowerDigits.withUnsafeBufferPointer { digits in
        var index = 0
        for byte in bytes {
          output[index] = digits[Int(byte >> 4)]
          output[index + 1] = digits[Int(byte & 0x0F)]
          index += 2
        }
      }
      return bytes.count * 2
    }
  }

  /// Appends the lowercase hex of `bytes` to `output`: a request body takes hundreds of
  /// kilobytes of hex without a string of its own in between.
  public static func write(_ bytes: [UInt8], to output: inout [UInt8]) {
    let start = output.count
    output.append(contentsOf: repeatElement(0, count: bytes.count * 2))
    output.withUnsafeMutableBufferPointer { buffer in
      lowerDigits.withUnsafeBufferPointer { digits in
        var index = start
        for byte in bytes {
          buffer[index] = digits[Int(byte >> 4)]
          buffer[index + 1] = digits[Int(byte & 0x0F)]
          index += 2
        }
      }
    }
  }

  /// Decodes hex digits of either case, after an optional `0x` (or `0X`) prefix.
  /// Returns nil for an odd number of digits or any non-hex character.
  public static func decode(_ text: some StringProtocol) -> [UInt8]? {
    var string = String(text)
    return string.withUTF8 { decode(utf8: $0) }
  }

  public static func decode(_ text: String) -> [UInt8]? {
    var string = text
    return string.withUTF8 { decode(utf8: $0) }
  }

  private static func decode(utf8 input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    var digits = input[...]
    if digits.count >= 2, digits[digits.startIndex] == UInt8(ascii: "0"),
      digits[digits.startIndex + 1] | 0x20 == UInt8(ascii: "x")
    {
      digits = digits.dropFirst(2)
    }
    guard digits.count % 2 == 0 else { return nil }
    let count = digits.count / 2
    var valid = true
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { output, initialized in
      var position = digits.startIndex
      for index in 0..<count {
        guard let high = nibble(digits[position]), let low = nibble(digits[position + 1]) else {
          valid = false
          break
        }
        output[index] = high << 4 | low
        position += 2
        initialized = index + 1
      }
    }
    return valid ? bytes : nil
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
