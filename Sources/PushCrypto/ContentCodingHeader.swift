import Foundation

/// The RFC 8188 `aes128gcm` header as RFC 8291 §4 fixes it: salt(16) || rs(4, big-endian) ||
/// idlen(1) = 65 || keyid = the sender's uncompressed public key.
enum ContentCodingHeader {
  static let saltLength = 16
  static let recordSize: UInt32 = 4096
  /// 16 + 4 + 1 + 65.
  static let length = 86
  static let tagLength = 16
  /// One record of `recordSize` must hold the header, the plaintext, the 0x02 delimiter and the
  /// tag, which leaves 3993 bytes (RFC 8291 §4).
  static let maxPlaintextLength = Int(recordSize) - length - tagLength - 1

  static func encode(salt: Data, serverPublic: Data) -> Data {
    var header = Data(salt)
    withUnsafeBytes(of: recordSize.bigEndian) { header.append(contentsOf: $0) }
    header.append(UInt8(serverPublic.count))
    header.append(serverPublic)
    return header
  }
}
