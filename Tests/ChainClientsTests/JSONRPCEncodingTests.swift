import PortfolioCore
import Testing

@testable import ChainClients

/// Request bodies written directly are the bytes the general JSON writer would make.
@Suite struct JSONRPCEncodingTests {
  let token = try! EVMAddress(parsing: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
  let owner = try! EVMAddress(parsing: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045")

  /// What `JSONValue` writes for one call: an object with sorted keys.
  func written(_ method: String, _ params: [JSONValue], id: Int) -> [UInt8] {
    JSONValue.object([
      "jsonrpc": "2.0", "id": .integer(Int64(id)), "method": .string(method), "params": .array(params),
    ]).jsonBytes
  }

  @Test func plainCallsAreWrittenAsJSONValueWouldWriteThem() {
    let calls = [JSONRPCCall("eth_blockNumber"), JSONRPCCall("eth_getBalance", ["0xab\"c", "latest"])]
    #expect(
      JSONRPCCodec.encode(calls, firstID: 7, batch: true)
        == Array("[".utf8) + written("eth_blockNumber", [], id: 7) + Array(",".utf8)
        + written("eth_getBalance", ["0xab\"c", "latest"], id: 8) + Array("]".utf8))
    #expect(
      JSONRPCCodec.encode([calls[0]], firstID: 3, batch: false) == written("eth_blockNumber", [], id: 3))
  }

  @Test(arguments: [UInt64(0x1a2b), nil])
  func aggregate3CallsAreWrittenAsJSONValueWouldWriteThem(block: UInt64?) {
    let chunk = [
      Multicall3.Call3(target: token, allowFailure: true, callData: ERC20Calls.balanceOf(owner)),
      Multicall3.Call3(
        target: Multicall3.address, allowFailure: true, callData: Multicall3.getEthBalance(owner)),
    ]
    let call = EVMBalanceReader.aggregate3Call(chunk, at: Multicall3.address, block: block)
    let params: [JSONValue] = [
      [
        "to": .string(Multicall3.address.lowercasedHex),
        "data": .string("0x" + Hex.encode(Multicall3.aggregate3(chunk))),
      ],
      .string(block.map { "0x" + String($0, radix: 16) } ?? "latest"),
    ]
    let body = JSONRPCCodec.encode([call, call], firstID: 1, batch: true)
    let expected =
      Array("[".utf8) + written("eth_call", params, id: 1) + Array(",".utf8)
      + written("eth_call", params, id: 2)
      + Array("]".utf8)
    #expect(body == expected)
    // Sized exactly: the body is allocated once.
    #expect(call.paramsWriter?.byteCount == JSONValue.array(params).jsonBytes.count)
  }
}
