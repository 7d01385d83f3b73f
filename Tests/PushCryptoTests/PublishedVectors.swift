import Foundation

/// Test vectors copied from published sources, each with where it came from.
enum PublishedVectors {
  /// RFC 4648 §10 test vectors, written in base64url without padding.
  static let rfc4648: [(String, String)] = [
    ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
    ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
  ]
}

/// Decodes a vector known to be base64url; a typo in a vector fails loudly.
func b64u(_ text: String) -> Data {
  guard let data = Base64URLReference.decode(text) else {
    fatalError("test vector \(text) is not base64url")
  }
  return data
}

/// A decoder apart from the one under test, so the vectors do not pass through the code they check.
enum Base64URLReference {
  static func decode(_ text: String) -> Data? {
    var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    standard += String(repeating: "=", count: (4 - standard.count % 4) % 4)
    return Data(base64Encoded: standard)
  }
}
