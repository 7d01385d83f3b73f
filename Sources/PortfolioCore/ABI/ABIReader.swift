import BigInt

/// Bounds-checked reads of words, offsets, counts and payloads from ABI data.
///
/// Positions are relative to the start of `data`; errors report them as indices into it.
/// Every read is also charged against a budget of `data.count` bytes: a canonical encoding
/// never reads a byte twice, so only hostile overlapping offsets (many heads pointing at one
/// large tail) run out, and that is what stops a small input from decoding into gigabytes.
struct ABIReader {
  private let data: ArraySlice<UInt8>
  private var budget: Int

  init(_ data: ArraySlice<UInt8>) {
    self.data = data
    self.budget = data.count
  }

  var count: Int { data.count }

  func error(_ kind: ABIDecodingError.Kind, at position: Int, _ reason: String) -> ABIDecodingError {
    ABIDecodingError(kind: kind, offset: data.startIndex + position, reason: reason)
  }

  /// The `length` bytes at `position`, once they are known to exist and fit the budget.
  mutating func take(_ length: Int, at position: Int, for what: String) throws(ABIDecodingError)
    -> ArraySlice<UInt8>
  {
    guard position >= 0, position <= count, length <= count - position else {
      let remaining = max(0, count - max(0, position))
      throw error(
        .truncated, at: position,
        "\(what) needs \(length) bytes but only \(remaining) remain (the data is \(count) bytes)")
    }
    guard length <= budget else {
      throw error(
        .overlappingData, at: position,
        "\(what) would read past the \(count)-byte budget; offsets overlap so the data decodes to more than it holds"
      )
    }
    budget -= length
    let start = data.startIndex + position
    return data[start..<start + length]
  }

  mutating func word(at position: Int, for what: String) throws(ABIDecodingError) -> ArraySlice<UInt8> {
    try take(ABIWord.size, at: position, for: what)
  }

  /// A `uint<bits>`: the bits above the width must be zero.
  mutating func uint(at position: Int, bits: Int = 256) throws(ABIDecodingError) -> BigUInt {
    let word = try word(at: position, for: "a uint\(bits)")
    let value = ABIWord.bigUInt(word)
    guard value.bitWidth <= bits else {
      throw error(
        .valueOutOfRange, at: position,
        "uint\(bits) word \(ABIWord.hexDescription(word)) does not fit in \(bits) bits")
    }
    return value
  }

  /// An address: 12 zero bytes, then 20 address bytes.
  mutating func address(at position: Int) throws(ABIDecodingError) -> EVMAddress {
    let word = try word(at: position, for: "an address")
    let padding = ABIWord.size - EVMAddress.byteCount
    guard word.prefix(padding).allSatisfy({ $0 == 0 }),
      let address = EVMAddress(bytes: Array(word.suffix(EVMAddress.byteCount)))
    else {
      throw error(
        .valueOutOfRange, at: position,
        "address word \(ABIWord.hexDescription(word)) has nonzero bytes above the 20 address bytes")
    }
    return address
  }

  mutating func bool(at position: Int) throws(ABIDecodingError) -> Bool {
    let word = try word(at: position, for: "a bool")
    switch ABIWord.smallInt(word) {
    case 0: return false
    case 1: return true
    default:
      throw error(.invalidBool, at: position, "bool word \(ABIWord.hexDescription(word)) is neither 0 nor 1")
    }
  }

  /// A `bytes<size>`: the bytes after the first `size` must be zero.
  mutating func fixedBytes(at position: Int, size: Int) throws(ABIDecodingError) -> [UInt8] {
    let word = try word(at: position, for: "a bytes\(size)")
    guard word.dropFirst(size).allSatisfy({ $0 == 0 }) else {
      throw error(
        .nonzeroPadding, at: position,
        "bytes\(size) word 0x\(Hex.encode(word)) has nonzero bytes after its first \(size)")
    }
    return Array(word.prefix(size))
  }

  /// Reads the offset word at `position` and returns where it points: `base + offset`, where
  /// `base` is the start of the enclosing tuple or array content.
  mutating func offset(at position: Int, base: Int) throws(ABIDecodingError) -> Int {
    let word = try word(at: position, for: "an offset")
    guard base >= 0, base <= count, let offset = ABIWord.smallInt(word), offset <= count - base else {
      throw error(
        .offsetOutOfBounds, at: position,
        "offset \(ABIWord.hexDescription(word)) (from byte \(base)) points past the end of the \(count)-byte data"
      )
    }
    return base + offset
  }

  /// Reads the count word at `position` and checks that the data after it can hold that many
  /// units of `unitSize` bytes, before anything is allocated for them.
  mutating func count(at position: Int, unitSize: Int) throws(ABIDecodingError) -> Int {
    let word = try word(at: position, for: "a length")
    let following = count - (position + ABIWord.size)  // The word was read, so this is >= 0.
    guard let length = ABIWord.smallInt(word), unitSize > 0, length <= following / unitSize else {
      throw error(
        .lengthOutOfBounds, at: position,
        "length \(ABIWord.hexDescription(word)) needs more than the \(following) bytes that follow it")
    }
    return length
  }

  /// `bytes`: a length word, then that many bytes (trailing padding is not required).
  mutating func bytes(at position: Int) throws(ABIDecodingError) -> [UInt8] {
    let length = try count(at: position, unitSize: 1)
    return Array(try take(length, at: position + ABIWord.size, for: "a \(length)-byte payload"))
  }

  /// `string`: `bytes` that must be valid UTF-8.
  mutating func string(at position: Int) throws(ABIDecodingError) -> String {
    let payload = try bytes(at: position)
    guard let text = String(validating: payload, as: UTF8.self) else {
      throw error(.invalidUTF8, at: position, "string of \(payload.count) bytes is not valid UTF-8")
    }
    return text
  }
}
