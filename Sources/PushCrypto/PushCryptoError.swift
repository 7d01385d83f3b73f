/// Every way the push and webhook cryptography refuses its input, each saying what was wrong
/// so a caller can log it or hand it to the person who supplied the value.
public enum PushCryptoError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The named field is not unpadded or padded base64url.
  case invalidBase64URL(field: String)
  /// The named field decoded, but to the wrong number of bytes.
  case wrongLength(field: String, expected: Int, actual: Int)
  /// The named bytes are not a P-256 point or scalar.
  case invalidKey(field: String)
  /// A webhook secret that is not `whsec_` and standard base64 of 24 to 64 bytes.
  case invalidWebhookSecret(String)
  /// A webhook id or timestamp that cannot go into the signed `id.timestamp.body` text.
  case invalidWebhookMessage(String)
  /// The plaintext does not fit one 4096-byte record with the RFC 8291 header.
  case payloadTooLarge(size: Int, limit: Int)
  /// The push endpoint is not an absolute URL this sender may post to.
  case invalidEndpoint(String)
  /// The VAPID `sub` is neither a `mailto:` nor an `https:` contact.
  case invalidSubject(String)
  /// The VAPID token would not expire within (0, 24 h].
  case invalidTokenLifetime(seconds: Double)
  /// A negative TTL.
  case invalidTTL(Int)
  /// A topic longer than 32 characters or outside the base64url alphabet.
  case invalidTopic(String)
  /// The underlying library refused an operation that valid input should not fail.
  case cryptoFailure(String)

  public var description: String {
    switch self {
    case .invalidBase64URL(let field):
      "\(field) is not base64url"
    case .wrongLength(let field, let expected, let actual):
      "\(field) must be \(expected) bytes, not \(actual)"
    case .invalidKey(let field):
      "\(field) is not a valid P-256 key"
    case .invalidWebhookSecret(let reason):
      "webhook secret: \(reason)"
    case .invalidWebhookMessage(let reason):
      "webhook message: \(reason)"
    case .payloadTooLarge(let size, let limit):
      "payload of \(size) bytes is over the \(limit)-byte limit of one push record"
    case .invalidEndpoint(let reason):
      "push endpoint: \(reason)"
    case .invalidSubject(let subject):
      "VAPID subject \"\(subject)\" must be a mailto: or https: contact"
    case .invalidTokenLifetime(let seconds):
      "VAPID token lifetime of \(seconds) s must be over 0 and at most 24 h"
    case .invalidTTL(let ttl):
      "TTL \(ttl) must not be negative"
    case .invalidTopic(let topic):
      "topic \"\(topic)\" must be 1 to 32 characters of the base64url alphabet"
    case .cryptoFailure(let reason):
      "cryptography failed: \(reason)"
    }
  }
}
