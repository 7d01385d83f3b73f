public import Foundation

/// Turns a payload for one subscription into the request RFC 8030, 8291 and 8292 describe:
/// encrypted body, delivery headers and the VAPID authorization.
public struct WebPushRequestBuilder: Sendable {
  public let vapidKey: VAPIDKeyPair
  public let subject: String
  /// Lets plain http endpoints through, for a push service the tests run on loopback.
  public let allowsInsecureEndpoints: Bool
  public let tokenLifetime: TimeInterval

  public init(
    vapidKey: VAPIDKeyPair, subject: String, allowsInsecureEndpoints: Bool = false,
    tokenLifetime: TimeInterval = VAPIDToken.defaultLifetime
  ) throws(PushCryptoError) {
    try VAPIDToken.validate(subject: subject)
    guard tokenLifetime > 0, tokenLifetime <= VAPIDToken.maxLifetime else {
      throw .invalidTokenLifetime(seconds: tokenLifetime)
    }
    self.vapidKey = vapidKey
    self.subject = subject
    self.allowsInsecureEndpoints = allowsInsecureEndpoints
    self.tokenLifetime = tokenLifetime
  }

  /// The request for one message. `ttl` is how many seconds the push service may keep it
  /// (0: deliver now or drop).
  public func request(
    endpoint: URL, keys: PushSubscriptionKeys, payload: Data, ttl: Int,
    urgency: PushUrgency = .normal, topic: PushTopic? = nil, now: Date = Date()
  ) throws(PushCryptoError) -> PushRequest {
    try PushEndpoint.validate(endpoint, allowingInsecure: allowsInsecureEndpoints)
    guard ttl >= 0 else { throw .invalidTTL(ttl) }
    let body = try WebPushEncryption.encrypt(payload, for: keys)
    let authorization = try VAPIDToken.authorization(
      endpoint: endpoint, subject: subject, key: vapidKey, now: now, lifetime: tokenLifetime)
    var headers = [
      HeaderField(name: "Content-Encoding", value: "aes128gcm"),
      HeaderField(name: "Content-Type", value: "application/octet-stream"),
      HeaderField(name: "TTL", value: String(ttl)),
      HeaderField(name: "Urgency", value: urgency.rawValue),
    ]
    if let topic { headers.append(HeaderField(name: "Topic", value: topic.value)) }
    headers.append(HeaderField(name: "Authorization", value: authorization))
    return PushRequest(method: "POST", url: endpoint, headers: headers, body: body)
  }
}
