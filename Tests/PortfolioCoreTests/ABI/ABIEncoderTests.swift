import PortfolioCore
import Testing

/// Mistakes in the values handed to the encoder: each throws, naming where and what.
struct ABIEncoderTests {
  func failure(_ encode: () throws(ABIEncodingError) -> [UInt8]) -> ABIEncodingError? {
    do {
      _ = try encode()
      Issue.record("expected an ABIEncodingError")
      return nil
    } catch {
      return error
    }
  }

  @Test func wrongArgumentCount() {
    let error = failure { () throws(ABIEncodingError) in try ERC20Calls.balanceOfFunction.encodeCall([]) }
    #expect(error?.description == "arguments: expected 1 values, found 0")
  }

  @Test func valueOfTheWrongKind() {
    let error = failure { () throws(ABIEncodingError) in
      try ABIEncoder.encode([.array([.uint(1), .string("x")])], as: [.array(.uint256)])
    }
    #expect(error?.path == "argument 0[1]")
    #expect(error?.reason == "type uint256 cannot hold a string")
  }

  @Test func uintTooWide() {
    let error = failure { () throws(ABIEncodingError) in
      try ABIEncoder.encode([.uint(256)], as: [.uint(bits: 8)])
    }
    #expect(error?.reason == "value does not fit in uint8")
    let overflow = UInt256Text.max + 1
    #expect(throws: ABIEncodingError.self) { try ABIEncoder.encode([.uint(overflow)], as: [.uint256]) }
  }

  @Test func fixedSizesMustMatch() {
    #expect(throws: ABIEncodingError.self) { try ABIEncoder.encode([.fixedBytes([1, 2])], as: [.bytes32]) }
    #expect(throws: ABIEncodingError.self) {
      try ABIEncoder.encode([.array([.bool(true)])], as: [.fixedArray(.bool, count: 2)])
    }
    #expect(throws: ABIEncodingError.self) {
      try ABIEncoder.encode([.tuple([.bool(true)])], as: [.tuple([.bool, .bool])])
    }
  }

  @Test func encodesStaticAndDynamicTuplesInPlaceAndByOffset() throws {
    // (bool,uint256) is static: encoded in place. (bool,bytes) is dynamic: an offset, then the tuple.
    let staticTuple = try ABIEncoder.encode(
      [.tuple([.bool(true), .uint(5)])], as: [.tuple([.bool, .uint256])])
    #expect(staticTuple == abiWord(1) + abiWord(5))
    let dynamicTuple = try ABIEncoder.encode(
      [.tuple([.bool(true), .bytes([])])], as: [.tuple([.bool, .bytes])])
    #expect(dynamicTuple == abiWord(0x20) + abiWord(1) + abiWord(0x40) + abiWord(0))
    #expect(
      try ABIDecoder.decode([.tuple([.bool, .bytes])], from: dynamicTuple) == [
        .tuple([.bool(true), .bytes([])])
      ])
  }
}
