import Crypto
import Foundation

/// The text of an access token: `cpt_` and 32 random bytes in unpadded base64url (256 bits).
/// Its first characters find its row; only its SHA-256 is kept, so a copy of the database
/// lets no one in.
enum TokenSecret {
  static let marker = "cpt_"
  static let randomBytes = 32
  /// `cpt_` and 8 characters (48 random bits): enough to find a row, too few to guess a token.
  static let prefixLength = 12
  static let length = marker.count + 43

  static func generate() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<randomBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return marker + base64URL(bytes)
  }

  /// The lookup prefix, or nil when `text` cannot be a token this server made.
  static func prefix(of text: String) -> String? {
    guard text.count == length, text.hasPrefix(marker),
      text.utf8.dropFirst(marker.count).allSatisfy(isBase64URL)
    else { return nil }
    return String(text.prefix(prefixLength))
  }

  static func hash(_ text: String) -> Data {
    Data(SHA256.hash(data: Data(text.utf8)))
  }

  /// Compares two hashes in time that does not depend on where they differ.
  static func sameHash(_ left: Data, _ right: Data) -> Bool {
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for (a, b) in zip(left, right) { difference |= a ^ b }
    return difference == 0
  }

  private static func base64URL(_ bytes: [UInt8]) -> String {
    Data(bytes).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  private static func isBase64URL(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
      true
    default: false
    }
  }
}
