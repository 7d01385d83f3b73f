import BigInt

/// The 32-byte word that every ABI head, count and offset is made of.
enum ABIWord {
  static let size = 32

  /// Big-endian, left-padded; nil when the value needs more than 256 bits.
  static func uint(_ value: BigUInt) -> [UInt8]? {
    guard value.bitWidth <= 256 else { return nil }
    var word = [UInt8](repeating: 0, count: size)
    let bytesPerLimb = UInt.bitWidth / 8
    // BigUInt words are little-endian limbs; walk them into the big-endian word from the right.
    for (limbIndex, limb) in value.words.enumerated() {
      for byteIndex in 0..<bytesPerLimb {
        let position = limbIndex * bytesPerLimb + byteIndex
        guard position < size else { break }
        word[size - 1 - position] = UInt8(truncatingIfNeeded: limb >> (8 * byteIndex))
      }
    }
    return word
  }

  /// A count or offset; these come from `Array.count` and sums of them, so never negative.
  static func uint(_ value: Int) -> [UInt8] {
    var word = [UInt8](repeating: 0, count: size)
    let magnitude = UInt64(truncatingIfNeeded: value)
    for byteIndex in 0..<8 {
      word[size - 1 - byteIndex] = UInt8(truncatingIfNeeded: magnitude >> (8 * byteIndex))
    }
    return word
  }

  /// An address is a uint160: 12 zero bytes, then the 20 address bytes.
  static func address(_ address: EVMAddress) -> [UInt8] {
    [UInt8](repeating: 0, count: size - EVMAddress.byteCount) + address.bytes
  }

  static func bool(_ value: Bool) -> [UInt8] {
    uint(value ? 1 : 0)
  }

  /// `bytes<M>` and the payload of `bytes`/`string`: zero-padded on the right to a whole word.
  static func rightPadded(_ bytes: [UInt8]) -> [UInt8] {
    let remainder = bytes.count % size
    return remainder == 0 ? bytes : bytes + [UInt8](repeating: 0, count: size - remainder)
  }

  /// The value of a big-endian word (any length up to 32 bytes).
  static func bigUInt(_ word: ArraySlice<UInt8>) -> BigUInt {
    var limbs = [UInt]()
    let bytesPerLimb = UInt.bitWidth / 8
    var limb: UInt = 0
    var filled = 0
    for byte in word.reversed() {
      limb |= UInt(byte) << (8 * filled)
      filled += 1
      if filled == bytesPerLimb {
        limbs.append(limb)
        limb = 0
        filled = 0
      }
    }
    if filled > 0 { limbs.append(limb) }
    return BigUInt(words: limbs)
  }

  /// The value as an Int when its top bytes are zero and it fits; offsets and counts must.
  static func smallInt(_ word: ArraySlice<UInt8>) -> Int? {
    guard word.dropLast(8).allSatisfy({ $0 == 0 }) else { return nil }
    let value = word.suffix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    return value <= UInt64(Int.max) ? Int(value) : nil
  }

  /// `0x` + hex without leading zero digits, to name a bad word in an error message.
  static func hexDescription(_ word: ArraySlice<UInt8>) -> String {
    let hex = Hex.encode(word).drop { $0 == "0" }
    return "0x" + (hex.isEmpty ? "0" : hex)
  }
}
