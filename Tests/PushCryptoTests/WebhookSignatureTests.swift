import Foundation
import PushCrypto
import Testing

@Suite struct WebhookSignatureTests {
  typealias Vector = PublishedVectors.StandardWebhooks

  @Test func signsThePublishedVector() throws {
    let secret = try WebhookSecret(encoded: Vector.secret)
    #expect(secret.bytes.count == 24)
    let signature = try WebhookSignature.sign(
      id: Vector.id, timestamp: Vector.timestamp, body: Data(Vector.payload.utf8), secret: secret)
    #expect(signature == Vector.signature)
  }

  @Test func theRotationHeaderCarriesOneSignaturePerSecret() throws {
    let current = try WebhookSecret.generate()
    let previous = try WebhookSecret(encoded: Vector.secret)
    let body = Data(Vector.payload.utf8)
    let header = try WebhookSignature.header(
      id: Vector.id, timestamp: Vector.timestamp, body: body, secrets: [current, previous])
    let signatures = header.split(separator: " ").map(String.init)
    #expect(signatures.count == 2)
    #expect(
      signatures[0]
        == (try WebhookSignature.sign(
          id: Vector.id, timestamp: Vector.timestamp, body: body, secret: current)))
    #expect(signatures[1] == Vector.signature)
  }

  @Test func theHeadersAreTheThreeTheSpecNames() throws {
    let secret = try WebhookSecret(encoded: Vector.secret)
    let headers = try WebhookSignature.headers(
      id: Vector.id, timestamp: Vector.timestamp, body: Data(Vector.payload.utf8), secrets: [secret])
    #expect(
      headers == [
        HeaderField(name: "webhook-id", value: Vector.id),
        HeaderField(name: "webhook-timestamp", value: "1614265330"),
        HeaderField(name: "webhook-signature", value: Vector.signature),
      ])
  }

  @Test func generatedSecretsAreRandomAndReadBack() throws {
    let first = try WebhookSecret.generate()
    let second = try WebhookSecret.generate()
    #expect(first != second)
    #expect(first.bytes.count == 32)
    #expect(first.encoded.hasPrefix("whsec_"))
    #expect(try WebhookSecret(encoded: first.encoded) == first)
    #expect(try WebhookSecret.generate(byteCount: 24).bytes.count == 24)
    #expect(try WebhookSecret.generate(byteCount: 64).bytes.count == 64)
  }

  @Test(arguments: [23, 65, 0])
  func secretsOutsideTwentyFourToSixtyFourBytesAreRefused(_ count: Int) {
    #expect(throws: PushCryptoError.invalidWebhookSecret("must be 24 to 64 bytes, not \(count)")) {
      try WebhookSecret.generate(byteCount: count)
    }
  }

  @Test func malformedSecretTextIsRefusedWithItsReason() {
    #expect(throws: PushCryptoError.invalidWebhookSecret("must start with whsec_")) {
      try WebhookSecret(encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    }
    #expect(throws: PushCryptoError.invalidWebhookSecret("is not base64 after whsec_")) {
      try WebhookSecret(encoded: "whsec_not base64!")
    }
    // 16 bytes: valid base64, too short a key.
    #expect(throws: PushCryptoError.invalidWebhookSecret("must be 24 to 64 bytes, not 16")) {
      try WebhookSecret(encoded: "whsec_" + Data(count: 16).base64EncodedString())
    }
    #expect(throws: PushCryptoError.invalidWebhookSecret("at least one secret is needed")) {
      try WebhookSignature.header(id: "msg_1", timestamp: 1, body: Data(), secrets: [])
    }
  }

  @Test(arguments: ["", "msg.1", "msg 1", "msg\r\n1"])
  func idsThatWouldBreakTheSignedTextAreRefused(_ id: String) throws {
    let secret = try WebhookSecret(encoded: Vector.secret)
    #expect(throws: PushCryptoError.self) {
      try WebhookSignature.sign(id: id, timestamp: 1, body: Data(), secret: secret)
    }
  }

  @Test func aNegativeTimestampIsRefused() throws {
    let secret = try WebhookSecret(encoded: Vector.secret)
    #expect(throws: PushCryptoError.invalidWebhookMessage("the timestamp is negative")) {
      try WebhookSignature.sign(id: "msg_1", timestamp: -1, body: Data(), secret: secret)
    }
  }
}
