/// A Solidity contract-ABI type, limited to the subset this project reads and writes.
///
/// The type, not the value, drives both encoding and decoding: ABI data is not
/// self-describing, so the same bytes mean different things under different types.
public indirect enum ABIType: Sendable, Hashable, CustomStringConvertible {
  case address
  case bool
  /// `uint<bits>`: bits is a multiple of 8 in 8...256.
  case uint(bits: Int)
  /// `bytes<count>`: count is 1...32; the value is left-aligned and zero-padded on the right.
  case fixedBytes(Int)
  /// Dynamic-length `bytes`.
  case bytes
  /// Dynamic-length UTF-8 `string`.
  case string
  /// `T[]`: a count followed by the elements.
  case array(ABIType)
  /// `T[k]`: k elements, no count; k must be at least 1.
  case fixedArray(ABIType, count: Int)
  /// `(T1,...,Tn)`: a struct; n must be at least 1.
  case tuple([ABIType])

  public static let uint256 = ABIType.uint(bits: 256)
  public static let bytes32 = ABIType.fixedBytes(32)

  /// The canonical name used in function signatures, e.g. `(address,bool,bytes)[]`.
  public var description: String {
    switch self {
    case .address: "address"
    case .bool: "bool"
    case .uint(let bits): "uint\(bits)"
    case .fixedBytes(let count): "bytes\(count)"
    case .bytes: "bytes"
    case .string: "string"
    case .array(let element): "\(element)[]"
    case .fixedArray(let element, let count): "\(element)[\(count)]"
    case .tuple(let components): "(" + components.map(\.description).joined(separator: ",") + ")"
    }
  }

  /// Dynamic types live in the tail and are referenced by an offset word in the head
  /// (spec: bytes, string, T[], T[k] with dynamic T, tuples with a dynamic component).
  public var isDynamic: Bool {
    switch self {
    case .address, .bool, .uint, .fixedBytes: false
    case .bytes, .string, .array: true
    case .fixedArray(let element, _): element.isDynamic
    case .tuple(let components): components.contains { $0.isDynamic }
    }
  }

  /// Bytes this type takes in its enclosing head: 32 for an offset when dynamic, else the whole
  /// in-place encoding. Saturates instead of overflowing, so a huge `T[k]` just fails bounds checks.
  var headSize: Int {
    guard !isDynamic else { return ABIWord.size }
    switch self {
    case .fixedArray(let element, let count):
      let (product, overflow) = element.headSize.multipliedReportingOverflow(by: count)
      return overflow ? Int.max : product
    case .tuple(let components):
      return components.reduce(0) { sum, component in
        let (total, overflow) = sum.addingReportingOverflow(component.headSize)
        return overflow ? Int.max : total
      }
    default:
      return ABIWord.size
    }
  }

  /// Why this type is not a valid ABI type, or nil when it is. Checked once at every public
  /// entry point so the encoder and decoder can rely on sane widths and counts; empty tuples
  /// and zero-length arrays are rejected because zero-size elements would let a tiny input
  /// claim an unbounded element count.
  var invalidReason: String? {
    switch self {
    case .address, .bool, .bytes, .string:
      return nil
    case .uint(let bits):
      return (8...256).contains(bits) && bits % 8 == 0
        ? nil : "uint\(bits) is not a valid type: the width must be a multiple of 8 from 8 to 256"
    case .fixedBytes(let count):
      return (1...32).contains(count) ? nil : "bytes\(count) is not a valid type: the size must be 1 to 32"
    case .array(let element):
      return element.invalidReason
    case .fixedArray(let element, let count):
      return count >= 1
        ? element.invalidReason : "\(self) is not supported: a fixed array needs at least one element"
    case .tuple(let components):
      guard !components.isEmpty else { return "() is not supported: a tuple needs at least one component" }
      return components.lazy.compactMap(\.invalidReason).first
    }
  }
}
