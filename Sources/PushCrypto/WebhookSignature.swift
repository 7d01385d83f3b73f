import Crypto
public import Foundation

/// Standard Webhooks symmetric signatures: `v1,` and the base64 HMAC-SHA256 of
/// `id.timestamp.body`, keyed with the secret's decoded bytes.
public enum WebhookSignature {
  /// The signature of one message under one secret.
  public static func sign(
    id: String, timestamp: Int64, body: Data, secret: WebhookSecret
  ) throws(PushCryptoError) -> String {
    try checkSignable(id: id, timestamp: timestamp)
    var signed = Data("\(id).\(timestamp).".utf8)
    signed.append(body)
    let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: secret.bytes))
    return "v1," + Data(mac).base64EncodedString()
  }

  /// The `webhook-signature` value: one signature per secret, space-separated, so receivers
  /// holding either the old or the new secret accept the message during a rotation.
  public static func header(
    id: String, timestamp: Int64, body: Data, secrets: [WebhookSecret]
  ) throws(PushCryptoError) -> String {
    guard !secrets.isEmpty else { throw .invalidWebhookSecret("at least one secret is needed") }
    var signatures: [String] = []
    for secret in secrets {
      signatures.append(try sign(id: id, timestamp: timestamp, body: body, secret: secret))
    }
    return signatures.joined(separator: " ")
  }

  /// The three headers a Standard Webhooks message carries.
  public static func headers(
    id: String, timestamp: Int64, body: Data, secrets: [WebhookSecret]
  ) throws(PushCryptoError) -> [HeaderField] {
    [
      HeaderField(name: "webhook-id", value: id),
      HeaderField(name: "webhook-timestamp", value: String(timestamp)),
      HeaderField(
        name: "webhook-signature",
        value: try header(id: id, timestamp: timestamp, body: body, secrets: secrets)),
    ]
  }

  /// The spec forbids `.` in the id, since it delimits the signed text; whitespace and control
  /// characters would also break the header the id travels in.
  private static func checkSignable(id: String, timestamp: Int64) throws(PushCryptoError) {
    guard !id.isEmpty else { throw .invalidWebhookMessage("the id is empty") }
    guard !id.contains(".") else { throw .invalidWebhookMessage("the id must not contain \".\"") }
    guard id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
      throw .invalidWebhookMessage("the id must not contain whitespace or control characters")
    }
    guard timestamp >= 0 else { throw .invalidWebhookMessage("the timestamp is negative") }
  }
}
