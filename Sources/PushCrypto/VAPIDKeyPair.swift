import Crypto
public import Foundation

/// The application server's VAPID key (RFC 8292 §3.2): a P-256 key pair whose raw forms are a
/// 32-byte private scalar and a 65-byte uncompressed public point, both in unpadded base64url,
/// the forms browsers take as `applicationServerKey` and configuration files can hold.
public struct VAPIDKeyPair: Sendable {
  let signingKey: P256.Signing.PrivateKey

  public static func generate() -> VAPIDKeyPair {
    VAPIDKeyPair(signingKey: P256.Signing.PrivateKey())
  }

  init(signingKey: P256.Signing.PrivateKey) {
    self.signingKey = signingKey
  }

  /// Reads a private key saved as `privateKeyBase64URL`.
  public init(privateKey: String) throws(PushCryptoError) {
    try self.init(privateKeyBytes: try Base64URL.decode(privateKey, field: "VAPID private key"))
  }

  public init(privateKeyBytes: Data) throws(PushCryptoError) {
    guard privateKeyBytes.count == 32 else {
      throw .wrongLength(field: "VAPID private key", expected: 32, actual: privateKeyBytes.count)
    }
    do {
      signingKey = try P256.Signing.PrivateKey(rawRepresentation: privateKeyBytes)
    } catch {
      throw .invalidKey(field: "VAPID private key")
    }
  }

  public var privateKeyBytes: Data { signingKey.rawRepresentation }
  public var publicKeyBytes: Data { signingKey.publicKey.x963Representation }
  public var privateKeyBase64URL: String { Base64URL.encode(privateKeyBytes) }
  public var publicKeyBase64URL: String { Base64URL.encode(publicKeyBytes) }
}
