import Crypto
import Foundation
import Testing

@testable import PushCrypto

@Suite struct WebPushEncryptionTests {
  typealias Example = PublishedVectors.RFC8291

  let keys: PushSubscriptionKeys
  let sender: P256.KeyAgreement.PrivateKey

  init() throws {
    keys = try PushSubscriptionKeys(p256dh: Example.uaPublic, auth: Example.authSecret)
    sender = try P256.KeyAgreement.PrivateKey(rawRepresentation: b64u(Example.asPrivate))
  }

  @Test func reproducesTheRFC8291ExampleByteForByte() throws {
    #expect(sender.publicKey.x963Representation == b64u(Example.asPublic))
    let body = try WebPushEncryption.encrypt(
      Data(Example.plaintext.utf8), for: keys, senderKey: sender, salt: b64u(Example.salt))
    #expect(body == b64u(Example.body))
    #expect(body.prefix(86) == b64u(Example.header))
  }

  @Test func eachDerivationMatchesTheRFC8291IntermediateValues() throws {
    let ecdh = try sender.sharedSecretFromKeyAgreement(with: keys.publicKey)
      .withUnsafeBytes { Data($0) }
    #expect(ecdh == b64u(Example.ecdhSecret))
    let ikm = WebPushKeySchedule.inputKeyingMaterial(
      ecdhSecret: SymmetricKey(data: ecdh), authSecret: b64u(Example.authSecret),
      userAgentPublic: b64u(Example.uaPublic), serverPublic: b64u(Example.asPublic))
    #expect(ikm.withUnsafeBytes { Data($0) } == b64u(Example.ikm))
    let schedule = WebPushKeySchedule(inputKeyingMaterial: ikm, salt: b64u(Example.salt))
    #expect(schedule.contentEncryptionKey.withUnsafeBytes { Data($0) } == b64u(Example.cek))
    #expect(schedule.nonce == b64u(Example.nonce))
  }

  @Test func theTestDecryptionOpensTheRFC8291Example() throws {
    let userAgent = try P256.KeyAgreement.PrivateKey(rawRepresentation: b64u(Example.uaPrivate))
    let plaintext = try UserAgentDecryption.decrypt(
      b64u(Example.body), userAgentPrivate: userAgent, authSecret: b64u(Example.authSecret))
    #expect(String(decoding: plaintext, as: UTF8.self) == Example.plaintext)
  }

  @Test func freshKeysAndSaltForEveryMessageAndTheUserAgentOpensIt() throws {
    let userAgent = P256.KeyAgreement.PrivateKey()
    let auth = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
    let keys = try PushSubscriptionKeys(
      p256dhBytes: userAgent.publicKey.x963Representation, authBytes: auth)
    let payload = Data(#"{"title":"ETH moved 5%"}"#.utf8)
    let first = try WebPushEncryption.encrypt(payload, for: keys)
    let second = try WebPushEncryption.encrypt(payload, for: keys)
    #expect(first.count == 86 + payload.count + 1 + 16)
    #expect(first.prefix(16) != second.prefix(16))
    #expect(first[21..<86] != second[21..<86])
    for body in [first, second] {
      #expect(try UserAgentDecryption.decrypt(body, userAgentPrivate: userAgent, authSecret: auth) == payload)
    }
  }

  @Test func thePlaintextLimitFillsExactlyOne4096ByteRecord() throws {
    let userAgent = P256.KeyAgreement.PrivateKey()
    let auth = Data(repeating: 7, count: 16)
    let keys = try PushSubscriptionKeys(
      p256dhBytes: userAgent.publicKey.x963Representation, authBytes: auth)
    #expect(WebPushEncryption.maxPlaintextLength == 3993)
    let largest = Data(repeating: 0x61, count: 3993)
    let body = try WebPushEncryption.encrypt(largest, for: keys)
    #expect(body.count == 4096)
    #expect(try UserAgentDecryption.decrypt(body, userAgentPrivate: userAgent, authSecret: auth) == largest)
    #expect(throws: PushCryptoError.payloadTooLarge(size: 3994, limit: 3993)) {
      try WebPushEncryption.encrypt(Data(count: 3994), for: keys)
    }
  }

  @Test func subscriptionKeysAreCheckedWithWhatIsWrong() throws {
    let auth = Example.authSecret
    #expect(throws: PushCryptoError.invalidBase64URL(field: "p256dh")) {
      try PushSubscriptionKeys(p256dh: "BCVx+r7N", auth: auth)
    }
    #expect(throws: PushCryptoError.wrongLength(field: "p256dh", expected: 65, actual: 64)) {
      try PushSubscriptionKeys(p256dh: Base64URL.encode(b64u(Example.uaPublic).prefix(64)), auth: auth)
    }
    // The compressed form (33 bytes) is not what browsers hand over, nor what the header carries.
    let compressed = try P256.KeyAgreement.PublicKey(x963Representation: b64u(Example.uaPublic))
      .compressedRepresentation
    #expect(throws: PushCryptoError.wrongLength(field: "p256dh", expected: 65, actual: 33)) {
      try PushSubscriptionKeys(p256dhBytes: compressed, authBytes: b64u(auth))
    }
    var offCurve = b64u(Example.uaPublic)
    offCurve[64] ^= 1
    #expect(throws: PushCryptoError.invalidKey(field: "p256dh")) {
      try PushSubscriptionKeys(p256dhBytes: offCurve, authBytes: b64u(auth))
    }
    #expect(throws: PushCryptoError.wrongLength(field: "auth", expected: 16, actual: 15)) {
      try PushSubscriptionKeys(p256dh: Example.uaPublic, auth: Base64URL.encode(Data(count: 15)))
    }
    #expect(throws: PushCryptoError.invalidBase64URL(field: "auth")) {
      try PushSubscriptionKeys(p256dh: Example.uaPublic, auth: "BTBZMqHH6r4Tts7J/aSIgg")
    }
    #expect(
      PushCryptoError.wrongLength(field: "p256dh", expected: 65, actual: 64).description
        == "p256dh must be 65 bytes, not 64")
  }
}
