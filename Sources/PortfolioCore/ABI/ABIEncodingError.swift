/// Why values could not be encoded for their ABI types: always a caller mistake, never bad data.
public struct ABIEncodingError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Which value was wrong, e.g. `argument 0[2][1]` (argument 0, element 2, component 1).
  public let path: String
  /// What was wrong with it.
  public let reason: String

  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  public var description: String { "\(path): \(reason)" }
}

extension ABIEncodingError {
  static func argumentCount(expected: Int, found: Int) -> ABIEncodingError {
    ABIEncodingError(path: "arguments", reason: "expected \(expected) values, found \(found)")
  }

  static func invalidType(_ reason: String, path: String) -> ABIEncodingError {
    ABIEncodingError(path: path, reason: reason)
  }

  static func mismatch(_ type: ABIType, _ value: ABIValue, path: String) -> ABIEncodingError {
    ABIEncodingError(path: path, reason: "type \(type) cannot hold \(value.kindName)")
  }

  static func uintTooLarge(bits: Int, path: String) -> ABIEncodingError {
    ABIEncodingError(path: path, reason: "value does not fit in uint\(bits)")
  }
}
