import PortfolioCore
import Testing

/// Malformed and hostile inputs: each must throw an ABIDecodingError naming the problem and
/// the byte where it was found, never trap or allocate unboundedly.
struct ABIDecoderHostileTests {
  /// Runs `decode` expecting a decoding error; returns it for inspection.
  func failure(_ decode: () throws -> Any) -> ABIDecodingError? {
    #expect(throws: ABIDecodingError.self) { _ = try decode() }
    do {
      _ = try decode()
      return nil
    } catch let error as ABIDecodingError {
      return error
    } catch {
      return nil
    }
  }

  @Test func truncatedWord() {
    let error = failure { try ABIDecoder.decode([.uint256], from: [UInt8](repeating: 0, count: 31)) }
    #expect(error?.kind == .truncated)
    #expect(error?.offset == 0)
    #expect(
      error?.description
        == "ABI data at byte 0: a uint256 needs 32 bytes but only 31 remain (the data is 31 bytes)")
  }

  @Test func truncatedPayload() {
    // bytes of length 40 with only 32 payload bytes present.
    let data = abiWord(0x20) + abiWord(40) + [UInt8](repeating: 0xAB, count: 32)
    let error = failure { try ABIDecoder.decode([.bytes], from: data) }
    #expect(error?.kind == .lengthOutOfBounds)
    #expect(error?.offset == 32)
  }

  @Test func offsetPastTheEnd() {
    let data = abiWord(0x1000) + abiWord(0)
    let error = failure { try ABIDecoder.decode([.bytes], from: data) }
    #expect(error?.kind == .offsetOutOfBounds)
    #expect(error?.offset == 0)
    #expect(error?.description.contains("offset 0x1000") == true)
    #expect(error?.description.contains("past the end of the 64-byte data") == true)
  }

  @Test func offsetTooLargeForAnInt() {
    let data = [UInt8](repeating: 0xFF, count: 32) + abiWord(0)
    let error = failure { try ABIDecoder.decode([.string], from: data) }
    #expect(error?.kind == .offsetOutOfBounds)
  }

  @Test func lengthOfTwoToThe255() {
    let huge = [0x80] + [UInt8](repeating: 0, count: 31)  // 2^255
    for type in [ABIType.bytes, .string, .array(.uint256), .array(.string)] {
      let error = failure { try ABIDecoder.decode([type], from: abiWord(0x20) + huge) }
      #expect(error?.kind == .lengthOutOfBounds, "\(type)")
      #expect(error?.offset == 32)
      #expect(error?.description.contains("length 0x8000000000000000") == true)
    }
  }

  @Test func arrayCountLargerThanTheData() {
    // Claims 3 uint256 elements but only 2 words follow.
    let data = abiWord(0x20) + abiWord(3) + abiWord(1) + abiWord(2)
    let error = failure { try ABIDecoder.decode([.array(.uint256)], from: data) }
    #expect(error?.kind == .lengthOutOfBounds)
    #expect(error?.description.contains("needs more than the 64 bytes that follow") == true)
  }

  @Test func boolThatIsNotZeroOrOne() {
    let error = failure { try ABIDecoder.decode([.uint256, .bool], from: abiWord(7) + abiWord(2)) }
    #expect(error?.kind == .invalidBool)
    #expect(error?.offset == 32)
    #expect(error?.description.contains("bool word 0x2 is neither 0 nor 1") == true)
  }

  @Test func addressWithNonzeroHighBytes() {
    var word = abiHex("000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa96045")
    word[11] = 0x01
    let error = failure { try ABIDecoder.decode([.address], from: word) }
    #expect(error?.kind == .valueOutOfRange)
    #expect(error?.description.contains("nonzero bytes above the 20 address bytes") == true)
  }

  @Test func uintWiderThanItsType() {
    let error = failure { try ABIDecoder.decode([.uint(bits: 8)], from: abiWord(256)) }
    #expect(error?.kind == .valueOutOfRange)
    #expect(error?.description.contains("does not fit in 8 bits") == true)
  }

  @Test func fixedBytesWithDirtyPadding() {
    let word = Array("abcd".utf8) + [UInt8](repeating: 0, count: 28)
    let error = failure { try ABIDecoder.decode([.fixedBytes(3)], from: word) }
    #expect(error?.kind == .nonzeroPadding)
  }

  @Test func stringThatIsNotUTF8() {
    let data = abiWord(0x20) + abiWord(2) + [0xC3, 0x28] + [UInt8](repeating: 0, count: 30)
    let error = failure { try ABIDecoder.decode([.string], from: data) }
    #expect(error?.kind == .invalidUTF8)
    #expect(error?.offset == 32)
  }

  /// 500 heads all pointing at one 16 KB payload would decode to 8 MB from 32 KB of input.
  @Test func overlappingOffsetsAreRefused() {
    let count = 500
    let payloadSize = 16_384
    let content = (0..<count).flatMap { _ in abiWord(count * 32) }
    let data =
      abiWord(0x20) + abiWord(count) + content + abiWord(payloadSize)
      + [UInt8](repeating: 0x61, count: payloadSize)
    let error = failure { try ABIDecoder.decode([.array(.bytes)], from: data) }
    #expect(error?.kind == .overlappingData)
  }

  @Test func hugeFixedArrayDoesNotAllocate() {
    let error = failure {
      try ABIDecoder.decode([.fixedArray(.uint256, count: Int.max)], from: abiWord(1) + abiWord(2))
    }
    #expect(error?.kind == .truncated)
  }

  @Test func invalidTypesAreRejected() {
    for type in [ABIType.uint(bits: 7), .uint(bits: 264), .fixedBytes(0), .fixedBytes(33), .tuple([])] {
      let error = failure { try ABIDecoder.decode([type], from: abiWord(0)) }
      #expect(error?.kind == .invalidType, "\(type)")
    }
    #expect(throws: ABIEncodingError.self) { try ABIEncoder.encode([.uint(1)], as: [.uint(bits: 7)]) }
  }

  @Test func errorOffsetsInCalldataCountTheSelector() {
    let calldata = Multicall3.aggregate3Function.selector + abiWord(0x20) + abiWord(1) + abiWord(0x20)
    let error = failure { try Multicall3.decodeAggregate3Call(calldata) }
    #expect(error?.kind == .truncated)
    #expect(error?.offset == 4 + 96)
  }

  /// Every proper prefix of a valid encoding is malformed and must throw, never trap.
  @Test func everyTruncationOfAValidEncodingThrows() throws {
    let valid = Multicall3.encodeAggregate3Result([
      .init(success: true, returnData: abiWord(1_000)),
      .init(success: false, returnData: Array("revert".utf8)),
    ])
    _ = try Multicall3.decodeAggregate3Result(valid)
    for length in 0..<valid.count - 26 {  // The last 26 bytes are padding after "revert".
      #expect(throws: ABIDecodingError.self) {
        try Multicall3.decodeAggregate3Result(Array(valid.prefix(length)))
      }
    }
  }

  /// Deterministic mutation fuzzing: flipped bytes and words must give a value or an error.
  @Test func mutatedInputsNeverTrap() {
    let calls = [
      Multicall3.Call3(target: Multicall3.address, allowFailure: true, callData: Multicall3.getBlockNumber),
      Multicall3.Call3(target: Multicall3.address, allowFailure: false, callData: [1, 2, 3]),
    ]
    let calldata = Multicall3.aggregate3(calls)
    let result = Multicall3.encodeAggregate3Result([.init(success: true, returnData: abiWord(5))])
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
      seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: seed >> 33)
    }
    let interesting: [UInt8] = [0x00, 0x01, 0x20, 0x7F, 0x80, 0xFF]
    for _ in 0..<3_000 {
      var data = next() % 2 == 0 ? calldata : result
      for _ in 0..<(1 + next() % 3) {
        data[next() % data.count] = interesting[next() % interesting.count]
      }
      _ = try? Multicall3.decodeAggregate3Call(data)
      _ = try? Multicall3.decodeAggregate3Result(data)
      _ = try? ABIDecoder.decode([.array(.tuple([.bool, .bytes]))], from: data)
      _ = try? ABIDecoder.decode([.array(.array(.string)), .tuple([.address, .bytes])], from: data)
      _ = ERC20Calls.decodeSymbol(data)
    }
  }
}
