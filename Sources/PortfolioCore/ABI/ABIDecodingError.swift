/// Why ABI data could not be decoded: what was wrong and at which byte.
///
/// Decoding reads data from outside (an RPC node, a contract), so every problem is an
/// error, never a trap.
public struct ABIDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// The data ends before a word or payload that must be there.
    case truncated
    /// An offset word points outside the data.
    case offsetOutOfBounds
    /// A count or length word claims more than the remaining data can hold.
    case lengthOutOfBounds
    /// A bool word is neither 0 nor 1.
    case invalidBool
    /// A uint<M> or address word has nonzero bits above its width.
    case valueOutOfRange
    /// A bytes<M> word has nonzero bytes after its M bytes.
    case nonzeroPadding
    /// A string payload is not valid UTF-8.
    case invalidUTF8
    /// Offsets overlap so that decoding would read far more than the data holds.
    case overlappingData
    /// Calldata does not start with the expected function selector.
    case wrongSelector
    /// The type asked for is not a valid ABI type (a caller mistake, not bad data).
    case invalidType
  }

  public let kind: Kind
  /// Index into the data given to the decoder (for calldata, the selector is bytes 0-3).
  public let offset: Int
  /// What was wrong, in words.
  public let reason: String

  public init(kind: Kind, offset: Int, reason: String) {
    self.kind = kind
    self.offset = offset
    self.reason = reason
  }

  public var description: String { "ABI data at byte \(offset): \(reason)" }
}
