import BigInt

/// Solidity ABI encoding: `enc((X1,...,Xk)) = head(X1)...head(Xk) tail(X1)...tail(Xk)`.
public enum ABIEncoder {
  /// One component of a tuple, already encoded: static ones go in the head in place,
  /// dynamic ones go in the tail with an offset word in the head.
  enum Part {
    case inPlace([UInt8])
    case tail([UInt8])
  }

  /// Encodes `values` as the tuple of `types` (function arguments or return values, no selector).
  public static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIEncodingError) -> [UInt8] {
    guard values.count == types.count else {
      throw .argumentCount(expected: types.count, found: values.count)
    }
    var parts: [Part] = []
    for (index, (value, type)) in zip(values, types).enumerated() {
      let path = "argument \(index)"
      if let reason = type.invalidReason { throw .invalidType(reason, path: path) }
      parts.append(try part(value, type, path: path))
    }
    return assemble(parts)
  }

  /// Lays out heads then tails. Offsets count from the start of this tuple's own encoding,
  /// which is what makes nested encodings relocatable.
  static func assemble(_ parts: [Part]) -> [UInt8] {
    let headSize = parts.reduce(0) { size, part in
      switch part {
      case .inPlace(let bytes): size + bytes.count
      case .tail: size + ABIWord.size
      }
    }
    var head: [UInt8] = []
    var tail: [UInt8] = []
    head.reserveCapacity(headSize)
    for part in parts {
      switch part {
      case .inPlace(let bytes):
        head += bytes
      case .tail(let bytes):
        head += ABIWord.uint(headSize + tail.count)
        tail += bytes
      }
    }
    return head + tail
  }

  /// `bytes` and `string`: the byte count, then the bytes padded to a whole word.
  static func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
    ABIWord.uint(bytes.count) + ABIWord.rightPadded(bytes)
  }

  /// `T[]`: the element count, then the elements encoded as a tuple.
  static func countPrefixed(_ elements: [Part]) -> [UInt8] {
    ABIWord.uint(elements.count) + assemble(elements)
  }

  /// Checks that `value` fits `type` and encodes it.
  static func part(_ value: ABIValue, _ type: ABIType, path: String) throws(ABIEncodingError) -> Part {
    switch (type, value) {
    case (.address, .address(let address)):
      return .inPlace(ABIWord.address(address))
    case (.bool, .bool(let flag)):
      return .inPlace(ABIWord.bool(flag))
    case (.uint(let bits), .uint(let number)):
      guard number.bitWidth <= bits, let word = ABIWord.uint(number) else {
        throw .uintTooLarge(bits: bits, path: path)
      }
      return .inPlace(word)
    case (.fixedBytes(let count), .fixedBytes(let bytes)) where bytes.count == count:
      return .inPlace(ABIWord.rightPadded(bytes))
    case (.bytes, .bytes(let bytes)):
      return .tail(lengthPrefixed(bytes))
    case (.string, .string(let text)):
      return .tail(lengthPrefixed(Array(text.utf8)))
    case (.array(let element), .array(let items)):
      return .tail(countPrefixed(try parts(items, of: { _ in element }, path: path)))
    case (.fixedArray(let element, let count), .array(let items)) where items.count == count:
      let encoded = assemble(try parts(items, of: { _ in element }, path: path))
      return type.isDynamic ? .tail(encoded) : .inPlace(encoded)
    case (.tuple(let components), .tuple(let items)) where items.count == components.count:
      let encoded = assemble(try parts(items, of: { components[$0] }, path: path))
      return type.isDynamic ? .tail(encoded) : .inPlace(encoded)
    default:
      throw .mismatch(type, value, path: path)
    }
  }

  private static func parts(
    _ items: [ABIValue], of typeAt: (Int) -> ABIType, path: String
  ) throws(ABIEncodingError) -> [Part] {
    var parts: [Part] = []
    parts.reserveCapacity(items.count)
    for (index, item) in items.enumerated() {
      parts.append(try part(item, typeAt(index), path: "\(path)[\(index)]"))
    }
    return parts
  }
}
