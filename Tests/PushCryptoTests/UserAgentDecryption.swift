import Crypto
import Foundation

/// The user agent's side of RFC 8291, written from the RFC's §3.4 pseudocode with plain
/// HMAC-SHA256 rather than the HKDF calls the sender uses, to open what the sender sealed.
enum UserAgentDecryption {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  static func decrypt(
    _ body: Data, userAgentPrivate: P256.KeyAgreement.PrivateKey, authSecret: Data
  ) throws -> Data {
    let bytes = [UInt8](body)
    guard bytes.count > 21 else { throw Failure(description: "shorter than the header") }
    let salt = Data(bytes[0..<16])
    let recordSize = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
    let idLength = Int(bytes[20])
    guard idLength == 65, bytes.count >= 21 + 65 + 16 else {
      throw Failure(description: "key id is \(idLength) bytes")
    }
    let serverPublic = Data(bytes[21..<86])
    let sealed = Data(bytes[86...])
    guard sealed.count <= recordSize else { throw Failure(description: "more than one record") }

    let ecdh = try userAgentPrivate.sharedSecretFromKeyAgreement(
      with: P256.KeyAgreement.PublicKey(x963Representation: serverPublic)
    ).withUnsafeBytes { Data($0) }
    let userAgentPublic = userAgentPrivate.publicKey.x963Representation
    // PRK_key = HMAC(auth, ecdh); IKM = HMAC(PRK_key, key_info || 0x01)
    let prkKey = hmac(key: authSecret, ecdh)
    let ikm = hmac(key: prkKey, Data("WebPush: info\0".utf8) + userAgentPublic + serverPublic + [1])
    // PRK = HMAC(salt, IKM); CEK and NONCE are the leading bytes of HMAC(PRK, info || 0x01).
    let prk = hmac(key: salt, ikm)
    let cek = hmac(key: prk, Data("Content-Encoding: aes128gcm\0".utf8) + [1]).prefix(16)
    let nonce = hmac(key: prk, Data("Content-Encoding: nonce\0".utf8) + [1]).prefix(12)

    let box = try AES.GCM.SealedBox(
      nonce: AES.GCM.Nonce(data: nonce), ciphertext: sealed.dropLast(16), tag: sealed.suffix(16))
    var padded = try AES.GCM.open(box, using: SymmetricKey(data: cek))
    while padded.last == 0 { padded.removeLast() }
    guard padded.last == 2 else { throw Failure(description: "no last-record delimiter") }
    return padded.dropLast()
  }

  private static func hmac(key: Data, _ message: Data) -> Data {
    Data(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
  }
}
