import PortfolioCore
import Testing

struct Multicall3Tests {
  let usdc = try! EVMAddress(parsing: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
  let vitalik = try! EVMAddress(parsing: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045")

  /// Two calls: USDC.balanceOf(vitalik) that may fail, and Multicall3.getBlockNumber() that may not.
  var calls: [Multicall3.Call3] {
    [
      .init(target: usdc, allowFailure: true, callData: ERC20Calls.balanceOf(vitalik)),
      .init(target: Multicall3.address, allowFailure: false, callData: Multicall3.getBlockNumber),
    ]
  }

  /// Worked out by hand from the spec's head/tail rules, one 32-byte word per line.
  /// Offsets inside the array are relative to the start of the array content (after its length);
  /// offsets inside each tuple are relative to the start of that tuple.
  static let handEncodedAggregate3 = """
    82ad56cb
    0000000000000000000000000000000000000000000000000000000000000020
    0000000000000000000000000000000000000000000000000000000000000002
    0000000000000000000000000000000000000000000000000000000000000040
    0000000000000000000000000000000000000000000000000000000000000100
    000000000000000000000000a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48
    0000000000000000000000000000000000000000000000000000000000000001
    0000000000000000000000000000000000000000000000000000000000000060
    0000000000000000000000000000000000000000000000000000000000000024
    70a08231000000000000000000000000d8da6bf26964af9d7eed9e03e53415d3
    7aa9604500000000000000000000000000000000000000000000000000000000
    000000000000000000000000ca11bde05977b3631167028862be2a173976ca11
    0000000000000000000000000000000000000000000000000000000000000000
    0000000000000000000000000000000000000000000000000000000000000060
    0000000000000000000000000000000000000000000000000000000000000004
    42cbb15c00000000000000000000000000000000000000000000000000000000
    """
  // Word by word:
  //  selector 82ad56cb = aggregate3((address,bool,bytes)[])
  //  0x20   offset of the array argument from the start of the arguments (one head word)
  //  2      array length
  //  0x40   offset of tuple 0 from the array content start (two offset words precede it)
  //  0x100  offset of tuple 1: 0x40 + tuple 0's 6 words (0xc0)
  //  tuple 0: target USDC; allowFailure 1; 0x60 = offset of callData within the tuple
  //           (3 head words); length 0x24 = 36; 36 bytes of balanceOf calldata padded to 64
  //  tuple 1: target Multicall3; allowFailure 0; offset 0x60; length 4; 42cbb15c padded to 32

  /// The same call encoded by eth_abi 6.0.0 (Python): selector +
  /// `encode(['(address,bool,bytes)[]'], [[(usdc, True, balanceOf), (multicall3, False, getBlockNumber)]])`.
  static let ethABIAggregate3 =
    "82ad56cb0000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000400000000000000000000000000000000000000000000000000000000000000100000000000000000000000000a0b86991c6218b36c1d19d4a2e9eb0ce3606eb4800000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000060000000000000000000000000000000000000000000000000000000000000002470a08231000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa9604500000000000000000000000000000000000000000000000000000000000000000000000000000000ca11bde05977b3631167028862be2a173976ca1100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000060000000000000000000000000000000000000000000000000000000000000000442cbb15c00000000000000000000000000000000000000000000000000000000"

  /// aggregate3 return data encoded by eth_abi 6.0.0:
  /// `encode(['(bool,bytes)[]'], [[(True, encode(['uint256'], [10**18])), (False, b'')]])`.
  static let ethABIAggregate3Result =
    "00000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000002000000000000000000000000000000000000000000000000000000000000004000000000000000000000000000000000000000000000000000000000000000c00000000000000000000000000000000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000004000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000de0b6b3a7640000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000400000000000000000000000000000000000000000000000000000000000000000"

  let results: [Multicall3.Result] = [
    .init(
      success: true, returnData: abiHex("0000000000000000000000000000000000000000000000000de0b6b3a7640000")),
    .init(success: false, returnData: []),
  ]

  @Test func canonicalAddress() {
    #expect(Multicall3.address.checksummed == "0xcA11bde05977b3631167028862bE2a173976CA11")
  }

  @Test func aggregate3MatchesHandEncoding() {
    #expect(Multicall3.aggregate3(calls) == abiHex(Self.handEncodedAggregate3))
  }

  @Test func aggregate3MatchesEthABI() {
    #expect(Hex.encode(Multicall3.aggregate3(calls)) == Self.ethABIAggregate3)
  }

  @Test func genericEncoderAgrees() throws {
    let argument = ABIValue.array(
      calls.map { .tuple([.address($0.target), .bool($0.allowFailure), .bytes($0.callData)]) })
    #expect(try Multicall3.aggregate3Function.encodeCall([argument]) == abiHex(Self.ethABIAggregate3))
  }

  @Test func emptyBatch() throws {
    // eth_abi 6.0.0: selector + encode(['(address,bool,bytes)[]'], [[]]) — offset 0x20, length 0.
    let expected = abiHex("82ad56cb" + Hex.encode(abiWord(0x20) + abiWord(0)))
    #expect(Multicall3.aggregate3([]) == expected)
    #expect(try Multicall3.decodeAggregate3Call(expected) == [])
    #expect(try Multicall3.decodeAggregate3Result(abiWord(0x20) + abiWord(0)) == [])
  }

  @Test func decodeAggregate3ResultFromEthABI() throws {
    let decoded = try Multicall3.decodeAggregate3Result(abiHex(Self.ethABIAggregate3Result))
    #expect(decoded == results)
    #expect(try ERC20Calls.decodeUInt256(decoded[0].returnData) == 1_000_000_000_000_000_000)
    // The generic decoder reads the same bytes the same way.
    let generic = try Multicall3.aggregate3Function.decodeOutput(abiHex(Self.ethABIAggregate3Result))
    #expect(generic == [.array(results.map { .tuple([.bool($0.success), .bytes($0.returnData)]) })])
  }

  @Test func simulatorDecodesEthABICalldata() throws {
    #expect(try Multicall3.decodeAggregate3Call(abiHex(Self.ethABIAggregate3)) == calls)
  }

  @Test func simulatorEncodesResultsLikeEthABI() {
    #expect(Hex.encode(Multicall3.encodeAggregate3Result(results)) == Self.ethABIAggregate3Result)
  }

  @Test func simulatorRejectsOtherSelectors() {
    do {
      _ = try Multicall3.decodeAggregate3Call(ERC20Calls.balanceOf(vitalik))
      Issue.record("balanceOf calldata was accepted as aggregate3")
    } catch {
      #expect(error.kind == .wrongSelector)
      #expect(error.description.contains("expected selector 0x82ad56cb"))
      #expect(error.description.contains("found 0x70a08231"))
    }
    do {
      _ = try Multicall3.decodeAggregate3Call([0x82, 0xad])
      Issue.record("2 bytes of calldata were accepted")
    } catch {
      #expect(error.kind == .truncated)
    }
  }

  @Test func getEthBalanceAndBlockNumberCalldata() throws {
    #expect(
      Hex.encode(Multicall3.getEthBalance(vitalik))
        == "4d2301cc000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa96045")
    #expect(Hex.encode(Multicall3.getBlockNumber) == "42cbb15c")
    // What a simulator does with them: read the argument, answer with a uint256.
    let arguments = try Multicall3.getEthBalanceFunction.decodeCall(Multicall3.getEthBalance(vitalik))
    #expect(arguments == [.address(vitalik)])
    let answer = try Multicall3.getBlockNumberFunction.encodeOutput([.uint(21_000_000)])
    #expect(try ERC20Calls.decodeUInt256(answer) == 21_000_000)
  }

  @Test func byteCountIsKnownBeforeEncoding() {
    #expect(Multicall3.aggregate3ByteCount(calls) == Multicall3.aggregate3(calls).count)
    #expect(Multicall3.aggregate3ByteCount([]) == Multicall3.aggregate3([]).count)
    for length in [0, 1, 31, 32, 33, 64, 65] {
      let call = Multicall3.Call3(
        target: usdc, allowFailure: true, callData: Array(repeating: 7, count: length))
      #expect(Multicall3.aggregate3ByteCount([call, call]) == Multicall3.aggregate3([call, call]).count)
    }
  }
}
