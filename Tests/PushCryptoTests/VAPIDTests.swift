import Crypto
import Foundation
import Testing

@testable import PushCrypto

@Suite struct VAPIDTests {
  typealias Example = PublishedVectors.RFC8292

  @Test func theVerifierAcceptsTheRFC8292ExampleAndNothingAltered() throws {
    // The k of the example is the uncompressed point of its JWK.
    #expect(b64u(Example.publicKey) == Data([4]) + b64u(Example.jwkX) + b64u(Example.jwkY))
    let check = try JWTCheck(token: Example.token, publicKey: b64u(Example.publicKey))
    #expect(check.signatureIsValid)
    #expect(check.header == ["typ": "JWT", "alg": "ES256"])
    #expect(check.claims["aud"] as? String == Example.audience)
    var altered = Array(Example.token)
    altered[altered.count - 5] = altered[altered.count - 5] == "A" ? "B" : "A"
    #expect(try !JWTCheck(token: String(altered), publicKey: b64u(Example.publicKey)).signatureIsValid)
  }

  @Test func theSignedPartOfOurTokenIsTheRFC8292ExamplesToTheByte() throws {
    // ECDSA signatures are randomised, so only the header and claims can match the example's.
    let key = VAPIDKeyPair.generate()
    let token = try VAPIDToken.jwt(
      audience: Example.audience, subject: Example.subject, expiresAt: Example.expiry, key: key)
    let signedPart = { (jwt: String) in jwt.split(separator: ".").prefix(2).joined(separator: ".") }
    #expect(signedPart(token) == signedPart(Example.token))
    let check = try JWTCheck(token: token, publicKey: key.publicKeyBytes)
    #expect(check.signatureIsValid)
    #expect(Base64URLReference.decode(String(token.split(separator: ".")[2]))?.count == 64)
  }

  @Test func anAuthorizationNamesTheOriginAndExpiresWithinADay() throws {
    let key = VAPIDKeyPair.generate()
    let now = Date(timeIntervalSince1970: 1_700_000_000.7)
    let value = try VAPIDToken.authorization(
      endpoint: try #require(URL(string: "https://push.example.net/push/JzLQ3raZJfFBR0aqvOMsLrt54w4rJUsV")),
      subject: "mailto:ops@example.com", key: key, now: now)
    let (token, k) = try #require(JWTCheck.parameters(ofAuthorization: value))
    #expect(value == "vapid t=\(token), k=\(k)")
    #expect(k == key.publicKeyBase64URL)
    let check = try JWTCheck(token: token, publicKey: b64u(k))
    #expect(check.signatureIsValid)
    #expect(check.claims["aud"] as? String == "https://push.example.net")
    #expect(check.claims["sub"] as? String == "mailto:ops@example.com")
    #expect(check.claims["exp"] as? Int == 1_700_000_000 + 12 * 3600)
    #expect(check.claims.count == 3)
  }

  @Test(arguments: [
    ("https://Push.Example.NET:443/a?b=c", "https://push.example.net"),
    ("https://fcm.googleapis.com:8443/wp/x", "https://fcm.googleapis.com:8443"),
    ("http://127.0.0.1:8080/push/1", "http://127.0.0.1:8080"),
    ("http://localhost:80/push", "http://localhost"),
    ("http://[::1]:9000/push", "http://[::1]:9000"),
  ])
  func theAudienceIsTheEndpointsOrigin(_ endpoint: String, _ origin: String) throws {
    #expect(try PushEndpoint.origin(of: try #require(URL(string: endpoint))) == origin)
  }

  @Test func lifetimesOutsideOneDayAreRefused() throws {
    let key = VAPIDKeyPair.generate()
    let endpoint = try #require(URL(string: "https://push.example.net/p"))
    for lifetime in [0, -1, 24 * 3600 + 1] as [TimeInterval] {
      #expect(throws: PushCryptoError.invalidTokenLifetime(seconds: lifetime)) {
        try VAPIDToken.authorization(
          endpoint: endpoint, subject: "mailto:a@b.c", key: key, lifetime: lifetime)
      }
    }
    let now = Date()
    let value = try VAPIDToken.authorization(
      endpoint: endpoint, subject: "mailto:a@b.c", key: key, now: now, lifetime: 24 * 3600)
    let token = try #require(JWTCheck.parameters(ofAuthorization: value)).token
    let exp = try #require(try JWTCheck(token: token, publicKey: key.publicKeyBytes).claims["exp"] as? Int)
    #expect(Double(exp) <= now.timeIntervalSince1970 + 24 * 3600)
  }

  @Test(arguments: ["push@example.com", "mailto:", "http://example.com", "https://", "", "mailto:a b"])
  func subjectsThatAreNotAContactAreRefused(_ subject: String) {
    #expect(throws: PushCryptoError.invalidSubject(subject)) {
      try VAPIDToken.jwt(audience: "https://p.example", subject: subject, expiresAt: 1, key: .generate())
    }
  }

  @Test func anHTTPSContactIsASubject() throws {
    let key = VAPIDKeyPair.generate()
    let token = try VAPIDToken.jwt(
      audience: "https://p.example", subject: "https://example.com/contact", expiresAt: 1, key: key)
    #expect(try JWTCheck(token: token, publicKey: key.publicKeyBytes).signatureIsValid)
  }

  @Test func keyPairsHaveTheRawFormsAndReadBack() throws {
    let key = VAPIDKeyPair.generate()
    #expect(key.privateKeyBytes.count == 32)
    #expect(key.publicKeyBytes.count == 65)
    #expect(key.publicKeyBytes.first == 4)
    #expect(key.privateKeyBase64URL.count == 43)
    #expect(key.publicKeyBase64URL.count == 87)
    #expect(!key.privateKeyBase64URL.contains("=") && !key.publicKeyBase64URL.contains("="))
    let read = try VAPIDKeyPair(privateKey: key.privateKeyBase64URL)
    #expect(read.publicKeyBytes == key.publicKeyBytes)
    // The same scalar gives the same point as swift-crypto's own key agreement type.
    let agreement = try P256.KeyAgreement.PrivateKey(rawRepresentation: key.privateKeyBytes)
    #expect(agreement.publicKey.x963Representation == key.publicKeyBytes)
    #expect(VAPIDKeyPair.generate().privateKeyBytes != key.privateKeyBytes)
  }

  @Test func badPrivateKeysAreRefusedWithWhatIsWrong() {
    #expect(throws: PushCryptoError.invalidBase64URL(field: "VAPID private key")) {
      try VAPIDKeyPair(privateKey: "yfWPiYE+n46HLnH0")
    }
    #expect(throws: PushCryptoError.wrongLength(field: "VAPID private key", expected: 32, actual: 31)) {
      try VAPIDKeyPair(privateKeyBytes: Data(repeating: 1, count: 31))
    }
    // Zero is not a valid P-256 scalar, nor is the all-ones value above the group order.
    #expect(throws: PushCryptoError.invalidKey(field: "VAPID private key")) {
      try VAPIDKeyPair(privateKeyBytes: Data(count: 32))
    }
    #expect(throws: PushCryptoError.invalidKey(field: "VAPID private key")) {
      try VAPIDKeyPair(privateKeyBytes: Data(repeating: 0xFF, count: 32))
    }
  }
}
