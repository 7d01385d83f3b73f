/// An RFC 8030 §5.4 `Topic`: a message with the same topic replaces an undelivered earlier one.
/// At most 32 characters of the base64url alphabet, so it fits a header and says nothing itself.
public struct PushTopic: Equatable, Hashable, Sendable {
  public static let maxLength = 32

  public let value: String

  public init(_ value: String) throws(PushCryptoError) {
    guard (1...Self.maxLength).contains(value.utf8.count),
      value.utf8.allSatisfy(Base64URL.isAlphabet)
    else { throw .invalidTopic(value) }
    self.value = value
  }
}
