/// A 32-byte Solana account address (an ed25519 public key or program-derived address).
public struct SolanaAddress: Sendable, Hashable, CustomStringConvertible {
  public static let byteCount = 32
  /// Longer text cannot be 32 bytes; the cap also keeps base58 decoding (quadratic) cheap.
  static let maxParsedCharacters = 256

  /// Exactly 32 bytes.
  public let bytes: [UInt8]

  /// Wraps raw bytes; nil unless there are exactly 32.
  public init?(bytes: [UInt8]) {
    guard bytes.count == Self.byteCount else { return nil }
    self.bytes = bytes
  }

  /// Parses base58 text that decodes to exactly 32 bytes, ignoring surrounding whitespace.
  /// Length is judged after decoding, so extra leading '1's (extra zero bytes) are rejected.
  /// Error positions count characters from 1.
  public init(parsing text: String) throws(AddressError) {
    let trimmed = text.trimmingWhitespace
    guard !trimmed.isEmpty else { throw .empty }
    let length = trimmed.utf8.count
    guard length <= Self.maxParsedCharacters else { throw .tooLong(characters: trimmed.count) }
    // Scan bytes, not Characters: valid input is ASCII and this is the hot path.
    var digits = [UInt8]()
    digits.reserveCapacity(length)
    for unit in trimmed.utf8 {
      guard let value = Base58.digitValue(unit) else { throw Self.invalidCharacterError(trimmed) }
      digits.append(value)
    }
    let decoded = Base58.decode(digits: digits)
    guard decoded.count == Self.byteCount else { throw .wrongByteCount(decoded.count) }
    bytes = decoded
  }

  /// Slow path, only for errors: finds the offending Character and its position.
  private static func invalidCharacterError(_ trimmed: Substring) -> AddressError {
    for (offset, character) in trimmed.enumerated() {
      guard let ascii = character.asciiValue, Base58.digitValue(ascii) != nil else {
        return .invalidBase58(character, position: offset + 1)
      }
    }
    return .invalidBase58(trimmed.first ?? " ", position: 1)  // Unreachable: some byte was invalid.
  }

  /// Canonical text form; base58 of 32 bytes is unique, so this round-trips parsed input.
  public var base58: String { Base58.encode(bytes) }

  public var description: String { base58 }
}
