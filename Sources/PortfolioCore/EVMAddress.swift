/// A 20-byte Ethereum/EVM account address.
///
/// Parsing accepts all-lowercase or all-uppercase hex as-is, but mixed case is
/// an EIP-55 checksum and must match exactly, which catches most typos.
public struct EVMAddress: Sendable, Hashable, CustomStringConvertible {
  public static let byteCount = 20

  /// Exactly 20 bytes.
  public let bytes: [UInt8]

  /// Wraps raw bytes; nil unless there are exactly 20.
  public init?(bytes: [UInt8]) {
    guard bytes.count == Self.byteCount else { return nil }
    self.bytes = bytes
  }

  /// Parses `0x` + 40 hex digits, ignoring surrounding whitespace.
  /// Error positions count characters from 1, starting at the `0` of `0x`.
  public init(parsing text: String) throws(AddressError) {
    let trimmed = text.trimmingWhitespace
    guard !trimmed.isEmpty else { throw .empty }
    let utf8 = trimmed.utf8
    guard utf8.starts(with: "0x".utf8) else { throw Self.missingPrefixError(trimmed) }
    // Scan bytes, not Characters: addresses are ASCII and this is the hot path.
    let digits = utf8.dropFirst(2)
    var hasLower = false
    var hasUpper = false
    for unit in digits {
      guard Hex.nibble(unit) != nil else { throw Self.nonHexError(trimmed) }
      hasLower = hasLower || unit >= UInt8(ascii: "a")
      hasUpper = hasUpper || (unit >= UInt8(ascii: "A") && unit <= UInt8(ascii: "F"))
    }
    guard digits.count == 2 * Self.byteCount, let decoded = Hex.decode(Substring(digits)) else {
      throw .wrongLength(found: digits.count)  // All ASCII here, so bytes == characters.
    }
    bytes = decoded
    // Single-case input carries no checksum; mixed case must be exactly EIP-55.
    if hasLower && hasUpper {
      let correct = checksummed
      guard correct.utf8.dropFirst(2).elementsEqual(digits) else {
        throw .checksumMismatch(correct: correct)
      }
    }
  }

  /// Offers the fixed address only when the rest is itself a valid address.
  private static func missingPrefixError(_ trimmed: Substring) -> AddressError {
    let rest = trimmed.hasPrefix("0X") ? trimmed.dropFirst(2) : trimmed
    let fixed = try? EVMAddress(parsing: "0x" + rest)
    return .missingPrefix(suggestion: fixed?.checksummed)
  }

  /// Slow path, only for errors: finds the offending Character and its position.
  private static func nonHexError(_ trimmed: Substring) -> AddressError {
    for (offset, character) in trimmed.enumerated().dropFirst(2) {
      guard let ascii = character.asciiValue, Hex.nibble(ascii) != nil else {
        return .nonHex(character, position: offset + 1)
      }
    }
    // The bad byte combined with the "x" into one Character, so "0x" is not really there.
    return missingPrefixError(trimmed)
  }

  /// `0x` + 40 lowercase hex digits: the form to store and compare.
  public var lowercasedHex: String { "0x" + Hex.encode(bytes) }

  /// EIP-55: a hex letter is uppercased when the matching nibble of
  /// keccak256(lowercase hex) is 8 or more.
  public var checksummed: String {
    let lower = Array(Hex.encode(bytes).utf8)
    let hash = Keccak256.hash(lower)
    var ascii: [UInt8] = Array("0x".utf8)
    ascii.reserveCapacity(2 + lower.count)
    for (index, unit) in lower.enumerated() {
      let byte = hash[index / 2]
      let nibble = index % 2 == 0 ? byte >> 4 : byte & 0x0F
      let isLetter = unit >= UInt8(ascii: "a")
      ascii.append(isLetter && nibble >= 8 ? unit - 32 : unit)
    }
    return String(decoding: ascii, as: UTF8.self)
  }

  public var description: String { checksummed }

  /// All 20 bytes at once: the synthesized hash feeds them one by one, and a poll cycle looks
  /// up hundreds of thousands of balances by address.
  public func hash(into hasher: inout Hasher) {
    bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
  }
}
