import Crypto
public import Foundation

/// The RFC 8292 token: an ES256 JWT naming the push service's origin, an expiry at most 24 h
/// away and a contact, and the `Authorization: vapid t=…, k=…` value that carries it.
public enum VAPIDToken {
  public static let maxLifetime: TimeInterval = 24 * 3600
  /// Half the maximum, so clock skew at the push service cannot push it over 24 h.
  public static let defaultLifetime: TimeInterval = 12 * 3600
  /// A token reused for many messages is replaced once it has less than this left (or half
  /// its lifetime, when that is shorter).
  public static let renewalMargin: TimeInterval = 3600

  /// The JWT header is constant; writing it out keeps its bytes identical to RFC 8292 §2.4.
  static let encodedHeader = Base64URL.encode(Data(#"{"typ":"JWT","alg":"ES256"}"#.utf8))

  /// The `Authorization` header value for a request to `endpoint`.
  public static func authorization(
    endpoint: URL, subject: String, key: VAPIDKeyPair, now: Date = Date(),
    lifetime: TimeInterval = defaultLifetime
  ) throws(PushCryptoError) -> String {
    guard lifetime > 0, lifetime <= maxLifetime else {
      throw .invalidTokenLifetime(seconds: lifetime)
    }
    let token = try jwt(
      audience: try PushEndpoint.origin(of: endpoint), subject: subject,
      expiresAt: Int64((now.timeIntervalSince1970 + lifetime).rounded(.down)), key: key)
    return header(token: token, key: key)
  }

  /// `vapid t=…, k=…`: the token and the key that verifies it (RFC 8292 §3).
  static func header(token: String, key: VAPIDKeyPair) -> String {
    "vapid t=\(token), k=\(key.publicKeyBase64URL)"
  }

  /// The signed JWT, with the signature as JOSE wants it: raw r || s, not DER.
  public static func jwt(
    audience: String, subject: String, expiresAt: Int64, key: VAPIDKeyPair
  ) throws(PushCryptoError) -> String {
    try validate(subject: subject)
    let claims: Data
    do {
      let encoder = JSONEncoder()
      // Sorted keys give aud, exp, sub: the order of RFC 8292's example, and a stable token.
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      claims = try encoder.encode(Claims(aud: audience, exp: expiresAt, sub: subject))
    } catch {
      throw .cryptoFailure("JWT claims: \(error)")
    }
    let signingInput = encodedHeader + "." + Base64URL.encode(claims)
    let signature: P256.Signing.ECDSASignature
    do {
      signature = try key.signingKey.signature(for: Data(signingInput.utf8))
    } catch {
      throw .cryptoFailure("ES256: \(error)")
    }
    return signingInput + "." + Base64URL.encode(signature.rawRepresentation)
  }

  /// Push services reject tokens without a way to reach the sender (RFC 8292 §2.1).
  static func validate(subject: String) throws(PushCryptoError) {
    let lowered = subject.lowercased()
    if lowered.hasPrefix("mailto:"), subject.count > "mailto:".count, !subject.contains(" ") {
      return
    }
    if lowered.hasPrefix("https:"), let url = URL(string: subject), url.host?.isEmpty == false {
      return
    }
    throw .invalidSubject(subject)
  }

  private struct Claims: Encodable {
    let aud: String
    let exp: Int64
    let sub: String
  }
}
