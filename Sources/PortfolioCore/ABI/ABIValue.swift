public import BigInt

/// A value to encode, or one that was decoded, for a matching `ABIType`.
///
/// `T[]` and `T[k]` both hold their elements in `.array`; the type says which one is meant.
public indirect enum ABIValue: Sendable, Hashable {
  case address(EVMAddress)
  case bool(Bool)
  /// Any `uint<M>`; encoding checks that it fits in M bits.
  case uint(BigUInt)
  /// `bytes<M>`: exactly M bytes, without the padding.
  case fixedBytes([UInt8])
  case bytes([UInt8])
  case string(String)
  case array([ABIValue])
  case tuple([ABIValue])

  public var addressValue: EVMAddress? {
    if case .address(let value) = self { value } else { nil }
  }

  public var boolValue: Bool? {
    if case .bool(let value) = self { value } else { nil }
  }

  public var uintValue: BigUInt? {
    if case .uint(let value) = self { value } else { nil }
  }

  /// The bytes of a `bytes` or `bytes<M>` value.
  public var bytesValue: [UInt8]? {
    switch self {
    case .bytes(let value), .fixedBytes(let value): value
    default: nil
    }
  }

  public var stringValue: String? {
    if case .string(let value) = self { value } else { nil }
  }

  /// The elements of an array, or the components of a tuple.
  public var elements: [ABIValue]? {
    switch self {
    case .array(let values), .tuple(let values): values
    default: nil
    }
  }

  /// What kind of value this is, for error messages.
  var kindName: String {
    switch self {
    case .address: "an address"
    case .bool: "a bool"
    case .uint: "a uint"
    case .fixedBytes(let bytes): "a bytes\(bytes.count)"
    case .bytes: "a bytes"
    case .string: "a string"
    case .array(let values): "an array of \(values.count)"
    case .tuple(let values): "a tuple of \(values.count)"
    }
  }
}
