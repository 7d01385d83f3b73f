import PortfolioCore

/// Bytes from hex written one 32-byte word per line: whitespace and `0x` prefixes are ignored,
/// so vectors can be laid out (and commented) word by word.
func abiHex(_ text: String) -> [UInt8] {
  let digits = text.split(whereSeparator: \.isWhitespace)
    .map { $0.hasPrefix("0x") ? $0.dropFirst(2) : $0 }
    .joined()
  return Hex.decode(digits)!
}

/// A 32-byte word holding a small number, for building hostile inputs by hand.
func abiWord(_ value: Int) -> [UInt8] {
  [UInt8](repeating: 0, count: 24) + (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}
