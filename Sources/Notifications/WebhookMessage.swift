public import Foundation
public import PortfolioCore
import PushCrypto
import Storage

/// One Standard Webhooks message (standardwebhooks.com): its body, and the headers that let
/// the receiver check it came from this server and is not a replay.
public struct WebhookMessage: Sendable {
  /// Stable across retries of the same event to the same webhook, and across restarts: the
  /// receiver's key for ignoring a repeat.
  public let id: String
  public let timestamp: Int64
  public let body: [UInt8]
  public let signature: String

  public init(id: String, type: String, occurredAt: Date, data: JSONValue, secrets: [String], sentAt: Date) {
    self.id = id
    let timestamp = Int64(sentAt.timeIntervalSince1970)
    let envelope: JSONValue = ["type": .string(type), "timestamp": .string(occurredAt.iso8601), "data": data]
    let body = envelope.jsonBytes
    self.timestamp = timestamp
    self.body = body
    signature = secrets.compactMap { Self.sign(id: id, timestamp: timestamp, body: body, secret: $0) }
      .joined(separator: " ")
  }

  /// The message id of an event for a webhook.
  public static func id(webhook: UUID, seq: Int64) -> String {
    "msg_\(webhook.uuidString.lowercased().prefix(8))_\(seq)"
  }

  public var headers: [(name: String, value: String)] {
    [
      ("content-type", "application/json"), ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
      ("webhook-signature", signature),
    ]
  }

  /// `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`; nil for a secret that is not
  /// `whsec_` and base64 (none is stored so).
  static func sign(id: String, timestamp: Int64, body: [UInt8], secret: String) -> String? {
    guard let key = try? WebhookSecret(encoded: secret) else { return nil }
    return try? WebhookSignature.sign(id: id, timestamp: timestamp, body: Data(body), secret: key)
  }

  /// A new secret: `whsec_` and the base64 of 32 random bytes.
  public static func makeSecret() throws -> String {
    try WebhookSecret.generate(byteCount: 32).encoded
  }
}
