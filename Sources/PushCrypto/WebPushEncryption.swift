import Crypto
public import Foundation

/// RFC 8291 message encryption: the payload encrypted for one subscription's keys, in one
/// `aes128gcm` record, so the push service relays bytes it cannot read.
public enum WebPushEncryption {
  /// The largest plaintext that fits the single 4096-byte record RFC 8291 requires.
  public static let maxPlaintextLength = ContentCodingHeader.maxPlaintextLength

  /// Encrypts with a fresh sender key pair and salt, so no two messages share an AES-GCM key
  /// and nonce.
  public static func encrypt(
    _ plaintext: Data, for keys: PushSubscriptionKeys
  ) throws(PushCryptoError) -> Data {
    try encrypt(
      plaintext, for: keys, senderKey: P256.KeyAgreement.PrivateKey(),
      salt: randomBytes(ContentCodingHeader.saltLength))
  }

  /// The deterministic core, internal so only tests can pin the key and salt.
  static func encrypt(
    _ plaintext: Data, for keys: PushSubscriptionKeys, senderKey: P256.KeyAgreement.PrivateKey,
    salt: Data
  ) throws(PushCryptoError) -> Data {
    guard plaintext.count <= maxPlaintextLength else {
      throw .payloadTooLarge(size: plaintext.count, limit: maxPlaintextLength)
    }
    guard salt.count == ContentCodingHeader.saltLength else {
      throw .wrongLength(field: "salt", expected: ContentCodingHeader.saltLength, actual: salt.count)
    }
    let serverPublic = senderKey.publicKey.x963Representation
    let shared: SharedSecret
    do {
      shared = try senderKey.sharedSecretFromKeyAgreement(with: keys.publicKey)
    } catch {
      throw .cryptoFailure("ECDH: \(error)")
    }
    let ikm = WebPushKeySchedule.inputKeyingMaterial(
      ecdhSecret: SymmetricKey(data: shared.withUnsafeBytes { Data($0) }),
      authSecret: keys.auth, userAgentPublic: keys.p256dh, serverPublic: serverPublic)
    let schedule = WebPushKeySchedule(inputKeyingMaterial: ikm, salt: salt)

    // 0x02 marks the last (here the only) record; no further padding is added.
    var record = plaintext
    record.append(0x02)
    let sealed: AES.GCM.SealedBox
    do {
      sealed = try AES.GCM.seal(
        record, using: schedule.contentEncryptionKey, nonce: AES.GCM.Nonce(data: schedule.nonce))
    } catch {
      throw .cryptoFailure("AES-GCM: \(error)")
    }
    var body = ContentCodingHeader.encode(salt: salt, serverPublic: serverPublic)
    body.append(sealed.ciphertext)
    body.append(sealed.tag)
    return body
  }
}
