import Crypto
public import Foundation

/// The keys a browser's PushSubscription hands over: `p256dh`, the user agent's P-256 public
/// key as a 65-byte uncompressed point, and `auth`, a 16-byte secret (RFC 8291 §2).
public struct PushSubscriptionKeys: Sendable {
  public static let publicKeyLength = 65
  public static let authLength = 16

  public let p256dh: Data
  public let auth: Data
  let publicKey: P256.KeyAgreement.PublicKey

  /// Reads the base64url strings of `PushSubscription.toJSON().keys`.
  public init(p256dh: String, auth: String) throws(PushCryptoError) {
    try self.init(
      p256dhBytes: try Base64URL.decode(p256dh, field: "p256dh"),
      authBytes: try Base64URL.decode(auth, field: "auth"))
  }

  public init(p256dhBytes: Data, authBytes: Data) throws(PushCryptoError) {
    guard p256dhBytes.count == Self.publicKeyLength else {
      throw .wrongLength(field: "p256dh", expected: Self.publicKeyLength, actual: p256dhBytes.count)
    }
    guard authBytes.count == Self.authLength else {
      throw .wrongLength(field: "auth", expected: Self.authLength, actual: authBytes.count)
    }
    // The key id in the record header must be the uncompressed form, 0x04 || x || y.
    guard p256dhBytes.first == 0x04,
      let key = try? P256.KeyAgreement.PublicKey(x963Representation: p256dhBytes)
    else { throw .invalidKey(field: "p256dh") }
    self.p256dh = p256dhBytes
    self.auth = authBytes
    self.publicKey = key
  }
}
