import Crypto
import Foundation

/// The key derivations of RFC 8291 §3.3–3.4 and RFC 8188 §2.2–2.3, kept apart from the record
/// layout so each step can be checked against the RFC's intermediate values.
struct WebPushKeySchedule {
  let contentEncryptionKey: SymmetricKey
  let nonce: Data

  /// Mixes the ECDH secret with the subscription's auth secret (RFC 8291 §3.3), binding the
  /// key to both public keys so neither side can be swapped.
  static func inputKeyingMaterial(
    ecdhSecret: SymmetricKey, authSecret: Data, userAgentPublic: Data, serverPublic: Data
  ) -> SymmetricKey {
    var keyInfo = Data("WebPush: info".utf8)
    keyInfo.append(0)
    keyInfo.append(userAgentPublic)
    keyInfo.append(serverPublic)
    let prk = HKDF<SHA256>.extract(inputKeyMaterial: ecdhSecret, salt: authSecret)
    return HKDF<SHA256>.expand(pseudoRandomKey: prk, info: keyInfo, outputByteCount: 32)
  }

  /// Derives the content encryption key and nonce from IKM and the per-message salt (RFC 8188).
  init(inputKeyingMaterial: SymmetricKey, salt: Data) {
    let prk = HKDF<SHA256>.extract(inputKeyMaterial: inputKeyingMaterial, salt: salt)
    contentEncryptionKey = HKDF<SHA256>.expand(
      pseudoRandomKey: prk, info: Self.info("Content-Encoding: aes128gcm"), outputByteCount: 16)
    nonce = HKDF<SHA256>.expand(
      pseudoRandomKey: prk, info: Self.info("Content-Encoding: nonce"), outputByteCount: 12
    ).withUnsafeBytes { Data($0) }
  }

  private static func info(_ label: String) -> Data {
    var info = Data(label.utf8)
    info.append(0)
    return info
  }
}
