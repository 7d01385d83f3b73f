import Crypto
import Foundation
import PushCrypto
import Testing

/// One signed VAPID token per push service origin, reused until it is near its expiry.
@Suite struct VAPIDTokenCacheTests {
  let vapid = VAPIDKeyPair.generate()
  let userAgent = P256.KeyAgreement.PrivateKey()
  static let start = Date(timeIntervalSince1970: 1_700_000_000)

  func keys() throws -> PushSubscriptionKeys {
    try PushSubscriptionKeys(
      p256dh: Base64URL.encode(userAgent.publicKey.x963Representation),
      auth: Base64URL.encode(Data(repeating: 7, count: 16)))
  }

  /// The message's token, checked against the VAPID key, with its claims.
  func token(
    _ builder: WebPushRequestBuilder, _ endpoint: String, after seconds: TimeInterval
  ) throws -> (token: String, claims: [String: Any]) {
    let request = try builder.request(
      endpoint: try #require(URL(string: endpoint)), keys: try keys(), payload: Data("{}".utf8), ttl: 60,
      now: Self.start.addingTimeInterval(seconds))
    let authorization = try #require(request.headers.first { $0.name == "Authorization" }?.value)
    let token = try #require(JWTCheck.parameters(ofAuthorization: authorization)).token
    let check = try JWTCheck(token: token, publicKey: vapid.publicKeyBytes)
    #expect(check.signatureIsValid)
    return (token, check.claims)
  }

  @Test func messagesToOneOriginShareATokenAndAnotherOriginGetsItsOwn() throws {
    let builder = try WebPushRequestBuilder(vapidKey: vapid, subject: "mailto:ops@example.com")
    let first = try token(builder, "https://push.example.net/wpush/a", after: 0)
    let second = try token(builder, "https://push.example.net/wpush/b", after: 90)
    #expect(second.token == first.token)
    #expect(first.claims["exp"] as? Int == 1_700_000_000 + 12 * 3600)
    let other = try token(builder, "https://fcm.googleapis.com/fcm/send/c", after: 90)
    #expect(other.token != first.token)
    #expect(other.claims["aud"] as? String == "https://fcm.googleapis.com")
    #expect(other.claims["exp"] as? Int == 1_700_000_090 + 12 * 3600)
    // A copy of the builder shares its tokens.
    let copy = builder
    #expect(try token(copy, "https://push.example.net/wpush/d", after: 120).token == first.token)
  }

  @Test func aTokenIsRenewedOnceUnderAnHourIsLeft() throws {
    let builder = try WebPushRequestBuilder(vapidKey: vapid, subject: "mailto:ops@example.com")
    let endpoint = "https://push.example.net/wpush/a"
    let first = try token(builder, endpoint, after: 0)
    // Valid 12 h: still used with an hour and a minute left.
    #expect(try token(builder, endpoint, after: 11 * 3600 - 60).token == first.token)
    let renewed = try token(builder, endpoint, after: 11 * 3600 + 60)
    #expect(renewed.token != first.token)
    #expect(renewed.claims["exp"] as? Int == 1_700_000_000 + 23 * 3600 + 60)
    // The new one is used in turn, as the old one would be past its expiry.
    #expect(try token(builder, endpoint, after: 12 * 3600 + 60).token == renewed.token)
  }

  @Test func aShortLifetimeRenewsAtHalfOfIt() throws {
    let builder = try WebPushRequestBuilder(
      vapidKey: vapid, subject: "mailto:ops@example.com", tokenLifetime: 600)
    let endpoint = "https://push.example.net/wpush/a"
    let first = try token(builder, endpoint, after: 0)
    #expect(try token(builder, endpoint, after: 290).token == first.token)
    #expect(try token(builder, endpoint, after: 310).token != first.token)
  }

  @Test func aClockSetBackGetsAFreshToken() throws {
    let builder = try WebPushRequestBuilder(vapidKey: vapid, subject: "mailto:ops@example.com")
    let endpoint = "https://push.example.net/wpush/a"
    let first = try token(builder, endpoint, after: 3600)
    // An hour earlier the cached token would be valid 13 h, longer than a token lives.
    let earlier = try token(builder, endpoint, after: 0)
    #expect(earlier.token != first.token)
    #expect(earlier.claims["exp"] as? Int == 1_700_000_000 + 12 * 3600)
  }

  @Test func messagesFromManyTasksAtOnceCarryValidTokens() async throws {
    let builder = try WebPushRequestBuilder(vapidKey: vapid, subject: "mailto:ops@example.com")
    let keys = try keys()
    let origins = ["https://a.push.example", "https://b.push.example", "https://c.push.example"]
    let tokens = try await withThrowingTaskGroup(of: (String, String).self) { group in
      for index in 0..<60 {
        group.addTask {
          let origin = origins[index % origins.count]
          let request = try builder.request(
            endpoint: try #require(URL(string: "\(origin)/m/\(index)")), keys: keys, payload: Data(), ttl: 0,
            now: Self.start)
          return (origin, request.headers.first { $0.name == "Authorization" }?.value ?? "")
        }
      }
      return try await group.reduce(into: [String: Set<String>]()) { $0[$1.0, default: []].insert($1.1) }
    }
    #expect(Set(tokens.keys) == Set(origins))
    for (origin, values) in tokens {
      for value in values {
        let token = try #require(JWTCheck.parameters(ofAuthorization: value)).token
        let check = try JWTCheck(token: token, publicKey: vapid.publicKeyBytes)
        #expect(check.signatureIsValid)
        #expect(check.claims["aud"] as? String == origin)
      }
    }
    // Once the race of the first messages is over, each origin has one token.
    for origin in origins {
      let request = try builder.request(
        endpoint: try #require(URL(string: "\(origin)/again")), keys: keys, payload: Data(), ttl: 0,
        now: Self.start)
      let again = try builder.request(
        endpoint: try #require(URL(string: "\(origin)/more")), keys: keys, payload: Data(), ttl: 0,
        now: Self.start)
      #expect(request.headers.last == again.headers.last)
    }
  }
}
