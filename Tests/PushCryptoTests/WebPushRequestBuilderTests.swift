import Crypto
import Foundation
import PushCrypto
import Testing

@Suite struct WebPushRequestBuilderTests {
  let userAgent = P256.KeyAgreement.PrivateKey()
  let auth = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
  let vapid = VAPIDKeyPair.generate()

  var keys: PushSubscriptionKeys {
    get throws {
      try PushSubscriptionKeys(
        p256dh: Base64URL.encode(userAgent.publicKey.x963Representation), auth: Base64URL.encode(auth))
    }
  }

  @Test func aRequestCarriesTheEncryptedBodyAndEveryHeader() throws {
    let builder = try WebPushRequestBuilder(vapidKey: vapid, subject: "mailto:ops@example.com")
    let endpoint = try PushEndpoint.parse(
      "https://updates.push.services.mozilla.com/wpush/v2/gAAAA", allowingInsecure: false)
    let payload = Data(#"{"alert":"BTC above 100000"}"#.utf8)
    let request = try builder.request(
      endpoint: endpoint, keys: try keys, payload: payload, ttl: 3600, urgency: .high,
      topic: try PushTopic("btc-alert"))
    #expect(request.method == "POST")
    #expect(request.url == endpoint)
    #expect(
      request.headers.map(\.name)
        == ["Content-Encoding", "Content-Type", "TTL", "Urgency", "Topic", "Authorization"])
    #expect(request.headers.value(of: "content-encoding") == "aes128gcm")
    #expect(request.headers.value(of: "Content-Type") == "application/octet-stream")
    #expect(request.headers.value(of: "TTL") == "3600")
    #expect(request.headers.value(of: "Urgency") == "high")
    #expect(request.headers.value(of: "Topic") == "btc-alert")
    let authorization = try #require(request.headers.value(of: "Authorization"))
    let (token, k) = try #require(JWTCheck.parameters(ofAuthorization: authorization))
    #expect(k == vapid.publicKeyBase64URL)
    let check = try JWTCheck(token: token, publicKey: vapid.publicKeyBytes)
    #expect(check.signatureIsValid)
    #expect(check.claims["aud"] as? String == "https://updates.push.services.mozilla.com")
    #expect(
      try UserAgentDecryption.decrypt(request.body, userAgentPrivate: userAgent, authSecret: auth)
        == payload)
  }

  @Test func withoutATopicThereIsNoTopicHeader() throws {
    let builder = try WebPushRequestBuilder(vapidKey: vapid, subject: "https://example.com/ops")
    let request = try builder.request(
      endpoint: try #require(URL(string: "https://push.example.net/x")), keys: try keys,
      payload: Data(), ttl: 0)
    #expect(request.headers.value(of: "Topic") == nil)
    #expect(request.headers.value(of: "Urgency") == "normal")
    #expect(request.headers.value(of: "TTL") == "0")
  }

  @Test func urgenciesAreTheRFC8030Tokens() {
    #expect(PushUrgency.allCases.map(\.rawValue) == ["very-low", "low", "normal", "high"])
  }

  @Test(arguments: ["", "a b", "btc/alert", "btc+alert", String(repeating: "a", count: 33)])
  func topicsOutsideTheRFC8030FormAreRefused(_ topic: String) {
    #expect(throws: PushCryptoError.invalidTopic(topic)) { try PushTopic(topic) }
  }

  @Test func aThirtyTwoCharacterTopicIsAccepted() throws {
    #expect(try PushTopic(String(repeating: "A-_z", count: 8)).value.count == 32)
  }

  @Test func plainHTTPIsOnlyForABuilderThatAllowsIt() throws {
    let endpoint = try #require(URL(string: "http://127.0.0.1:8081/push/abc"))
    let strict = try WebPushRequestBuilder(vapidKey: vapid, subject: "mailto:a@b.c")
    #expect(throws: PushCryptoError.invalidEndpoint("http://127.0.0.1:8081/push/abc is not https")) {
      try strict.request(endpoint: endpoint, keys: try keys, payload: Data(), ttl: 60)
    }
    let loose = try WebPushRequestBuilder(
      vapidKey: vapid, subject: "mailto:a@b.c", allowsInsecureEndpoints: true)
    let request = try loose.request(endpoint: endpoint, keys: try keys, payload: Data(), ttl: 60)
    let authorization = try #require(request.headers.value(of: "Authorization"))
    let token = try #require(JWTCheck.parameters(ofAuthorization: authorization)).token
    #expect(
      try JWTCheck(token: token, publicKey: vapid.publicKeyBytes).claims["aud"] as? String
        == "http://127.0.0.1:8081")
  }

  @Test(arguments: [
    "ftp://push.example.net/x", "/push/relative", "https:///nohost", "https://user:pw@push.example.net/x",
  ])
  func endpointsThatAreNotHTTPSURLsAreRefused(_ text: String) {
    #expect(throws: PushCryptoError.self) { try PushEndpoint.parse(text, allowingInsecure: true) }
  }

  @Test func badInputsAreRefusedBeforeAnythingIsEncrypted() throws {
    let builder = try WebPushRequestBuilder(vapidKey: vapid, subject: "mailto:a@b.c")
    let endpoint = try #require(URL(string: "https://push.example.net/x"))
    #expect(throws: PushCryptoError.invalidTTL(-1)) {
      try builder.request(endpoint: endpoint, keys: try keys, payload: Data(), ttl: -1)
    }
    #expect(throws: PushCryptoError.payloadTooLarge(size: 4000, limit: 3993)) {
      try builder.request(endpoint: endpoint, keys: try keys, payload: Data(count: 4000), ttl: 60)
    }
    #expect(throws: PushCryptoError.invalidSubject("ops@example.com")) {
      try WebPushRequestBuilder(vapidKey: vapid, subject: "ops@example.com")
    }
    #expect(throws: PushCryptoError.invalidTokenLifetime(seconds: 90_000)) {
      try WebPushRequestBuilder(vapidKey: vapid, subject: "mailto:a@b.c", tokenLifetime: 90_000)
    }
    #expect(
      PushCryptoError.payloadTooLarge(size: 4000, limit: 3993).description
        == "payload of 4000 bytes is over the 3993-byte limit of one push record")
  }
}
