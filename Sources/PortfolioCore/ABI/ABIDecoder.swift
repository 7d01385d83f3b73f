/// Decodes ABI data into values, driven by the expected types.
///
/// Defensive by design, because the data comes from outside: every offset and length is
/// bounds-checked before use, and malformed or hostile input throws `ABIDecodingError`
/// (what was wrong, at which byte) instead of trapping. Trailing bytes after the encoding
/// are ignored, as Solidity does.
public enum ABIDecoder {
  /// Decodes `data` as the tuple of `types` (function arguments or return values, no selector).
  public static func decode(_ types: [ABIType], from data: [UInt8]) throws(ABIDecodingError) -> [ABIValue] {
    try decode(types, from: data[...])
  }

  /// As `decode(_:from:)`; error offsets are indices into the slice's base array.
  public static func decode(
    _ types: [ABIType], from data: ArraySlice<UInt8>
  ) throws(ABIDecodingError) -> [ABIValue] {
    var reader = ABIReader(data)
    for type in types {
      if let reason = type.invalidReason { throw reader.error(.invalidType, at: 0, reason) }
    }
    return try decodeSequence(count: types.count, typeAt: { types[$0] }, at: 0, reader: &reader)
  }

  /// A tuple, fixed array or array content starting at `start`: heads in order, dynamic
  /// components found through offsets relative to `start`.
  static func decodeSequence(
    count: Int, typeAt: (Int) -> ABIType, at start: Int, reader: inout ABIReader
  ) throws(ABIDecodingError) -> [ABIValue] {
    var values: [ABIValue] = []
    var head = start
    for index in 0..<count {
      let type = typeAt(index)
      let position = type.isDynamic ? try reader.offset(at: head, base: start) : head
      values.append(try decodeValue(type, at: position, reader: &reader))
      // Saturating: a position past the end just fails the next bounds check.
      let (next, overflow) = head.addingReportingOverflow(type.headSize)
      head = overflow ? Int.max : next
    }
    return values
  }

  /// One value whose encoding starts at `position` (in place if static, at its tail if dynamic).
  static func decodeValue(
    _ type: ABIType, at position: Int, reader: inout ABIReader
  ) throws(ABIDecodingError) -> ABIValue {
    switch type {
    case .address:
      return .address(try reader.address(at: position))
    case .bool:
      return .bool(try reader.bool(at: position))
    case .uint(let bits):
      return .uint(try reader.uint(at: position, bits: bits))
    case .fixedBytes(let size):
      return .fixedBytes(try reader.fixedBytes(at: position, size: size))
    case .bytes:
      return .bytes(try reader.bytes(at: position))
    case .string:
      return .string(try reader.string(at: position))
    case .array(let element):
      let count = try reader.count(at: position, unitSize: element.headSize)
      let content = position + ABIWord.size
      return .array(try decodeSequence(count: count, typeAt: { _ in element }, at: content, reader: &reader))
    case .fixedArray(let element, let count):
      return .array(try decodeSequence(count: count, typeAt: { _ in element }, at: position, reader: &reader))
    case .tuple(let components):
      return .tuple(
        try decodeSequence(count: components.count, typeAt: { components[$0] }, at: position, reader: &reader)
      )
    }
  }
}
