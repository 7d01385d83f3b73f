public import Foundation

/// Turns a payload for one subscription into the request RFC 8030, 8291 and 8292 describe:
/// encrypted body, delivery headers and the VAPID authorization. The VAPID token signed for a
/// push service's origin is reused for its later messages until it nears its expiry.
public struct WebPushRequestBuilder: Sendable {
  public let vapidKey: VAPIDKeyPair
  public let subject: String
  /// Lets plain http endpoints through, for a push service the tests run on loopback.
  public let allowsInsecureEndpoints: Bool
  public let tokenLifetime: TimeInterval
  /// Signed tokens by origin, shared by copies of this builder.
  private let tokens: VAPIDTokenCache

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
    tokens = VAPIDTokenCache(
      lifetime: tokenLifetime, renewalMargin: min(VAPIDToken.renewalMargin, tokenLifetime / 2))
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
    let authorization = try authorization(for: endpoint, now: now)
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

  /// The VAPID `Authorization` for the endpoint's origin: the token signed for an earlier
  /// message there while it has more than the renewal margin left, else a new one.
  public func authorization(for endpoint: URL, now: Date = Date()) throws(PushCryptoError) -> String {
    let audience = try PushEndpoint.origin(of: endpoint)
    return try tokens.authorization(audience: audience, now: now) { () throws(PushCryptoError) in
      let expiresAt = Int64((now.timeIntervalSince1970 + tokenLifetime).rounded(.down))
      let token = try VAPIDToken.jwt(
        audience: audience, subject: subject, expiresAt: expiresAt, key: vapidKey)
      return VAPIDTokenCache.Entry(
        value: VAPIDToken.header(token: token, key: vapidKey), expiresAt: expiresAt)
    }
  }
}
