public import Foundation

/// A Standard Webhooks symmetric signing secret: 24 to 64 random bytes, shown to people as
/// `whsec_` and standard (not url-safe) base64, which is what the official libraries read.
public struct WebhookSecret: Equatable, Sendable {
  public static let prefix = "whsec_"
  public static let byteCounts = 24...64

  public let bytes: Data

  public init(bytes: Data) throws(PushCryptoError) {
    guard Self.byteCounts.contains(bytes.count) else {
      throw .invalidWebhookSecret("must be 24 to 64 bytes, not \(bytes.count)")
    }
    self.bytes = bytes
  }

  /// Reads the `whsec_…` text form.
  public init(encoded: String) throws(PushCryptoError) {
    guard encoded.hasPrefix(Self.prefix) else {
      throw .invalidWebhookSecret("must start with \(Self.prefix)")
    }
    guard let bytes = Data(base64Encoded: String(encoded.dropFirst(Self.prefix.count))) else {
      throw .invalidWebhookSecret("is not base64 after \(Self.prefix)")
    }
    try self.init(bytes: bytes)
  }

  /// A new secret from the system's cryptographic generator; 32 bytes (256 bits) by default.
  public static func generate(byteCount: Int = 32) throws(PushCryptoError) -> WebhookSecret {
    try WebhookSecret(bytes: randomBytes(byteCount))
  }

  public var encoded: String { Self.prefix + bytes.base64EncodedString() }
}
