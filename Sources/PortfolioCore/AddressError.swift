/// Why an address was rejected, worded so the person who typed it can fix it.
public struct AddressError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The specific problem, e.g. "expected 40 hex digits after 0x, found 39".
  public let reason: String
  /// A corrected address when one can be derived with confidence.
  public let suggestion: String?

  public init(reason: String, suggestion: String? = nil) {
    self.reason = reason
    self.suggestion = suggestion
  }

  /// One sentence: the reason, plus "did you mean …?" when there is a suggestion.
  public var description: String {
    let sentence = reason.prefix(1).uppercased() + reason.dropFirst()
    guard let suggestion else { return sentence + "." }
    return sentence + "; did you mean \(suggestion)?"
  }
}

extension AddressError {
  static let empty = AddressError(reason: "the address is empty; paste the full address")

  static func missingPrefix(suggestion: String?) -> AddressError {
    AddressError(
      reason: "missing 0x prefix: an EVM address is 0x followed by 40 hex digits",
      suggestion: suggestion)
  }

  static func wrongLength(found: Int) -> AddressError {
    AddressError(
      reason:
        "expected 40 hex digits after 0x, found \(found); check that the address was copied in full"
    )
  }

  static func nonHex(_ character: Character, position: Int) -> AddressError {
    AddressError(
      reason:
        "non-hex character \(quoted(character)) at position \(position); only 0-9 and a-f are allowed"
    )
  }

  static func checksumMismatch(correct: String) -> AddressError {
    AddressError(
      reason:
        "checksum mismatch: the upper/lowercase pattern does not match EIP-55, so the address may contain a typo",
      suggestion: correct)
  }

  static func invalidBase58(_ character: Character, position: Int) -> AddressError {
    let why =
      "0OIl".contains(character)
      ? "base58 never uses 0 (zero), O (capital o), I (capital i) or l (lowercase L)"
      : "only base58 characters (1-9, A-Z, a-z without 0, O, I, l) are allowed"
    return AddressError(
      reason: "invalid base58 character \(quoted(character)) at position \(position); \(why)")
  }

  static func wrongByteCount(_ count: Int) -> AddressError {
    AddressError(
      reason:
        "decodes to \(count) \(count == 1 ? "byte" : "bytes") instead of 32; a Solana address is 32 bytes (usually 32 to 44 characters)"
    )
  }

  static func tooLong(characters: Int) -> AddressError {
    AddressError(
      reason: "the text is \(characters) characters long; a Solana address is 32 to 44 characters")
  }

  /// Names a character so that invisible ones are still recognisable.
  static func quoted(_ character: Character) -> String {
    if character == " " { return "' ' (space)" }
    if character.isWhitespace
      || character.unicodeScalars.contains(where: { $0.properties.generalCategory == .format })
    {
      let codes = character.unicodeScalars.map {
        "U+" + String($0.value, radix: 16, uppercase: true)
      }
      return "(invisible \(codes.joined(separator: " ")))"
    }
    return "'\(character)'"
  }
}

extension String {
  /// The string without leading or trailing whitespace (Foundation-free trim).
  var trimmingWhitespace: Substring {
    let start = firstIndex { !$0.isWhitespace } ?? endIndex
    let end = lastIndex { !$0.isWhitespace }.map(index(after:)) ?? start
    return self[start..<end]
  }
}
