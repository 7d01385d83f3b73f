public import Foundation

/// base64url (RFC 4648 §5) as Web Push and JOSE use it: written without padding, read with or
/// without, since browsers and libraries differ in what they hand over.
public enum Base64URL {
  public static func encode(_ bytes: some DataProtocol) -> String {
    Data(bytes).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  /// The bytes, or nil for anything outside the alphabet, misplaced padding or an impossible length.
  public static func decode(_ text: String) -> Data? {
    var body = Substring(text)
    while body.hasSuffix("=") { body = body.dropLast() }
    let padding = text.count - body.count
    // Padding, when present, must bring the text to a multiple of four, and never exceeds two.
    if padding > 0 && (padding > 2 || text.count % 4 != 0) { return nil }
    if body.count % 4 == 1 { return nil }
    guard body.utf8.allSatisfy(isAlphabet) else { return nil }
    let standard = body.replacingOccurrences(of: "-", with: "+")
      .replacingOccurrences(of: "_", with: "/")
    let padded = standard + String(repeating: "=", count: (4 - standard.count % 4) % 4)
    return Data(base64Encoded: padded)
  }

  /// Decodes a named field, saying which field when it is not base64url.
  static func decode(_ text: String, field: String) throws(PushCryptoError) -> Data {
    guard let bytes = decode(text) else { throw .invalidBase64URL(field: field) }
    return bytes
  }

  static func isAlphabet(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
      true
    default:
      false
    }
  }
}
