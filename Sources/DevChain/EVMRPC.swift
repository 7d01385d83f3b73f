import BigInt
import PortfolioCore

/// Answers the Ethereum JSON-RPC methods the readers use, from `EVMLedger`.
enum EVMRPC {
  static func handle(_ method: String, _ params: [JSONValue], ledger: EVMLedger, stats: inout DevChainStats)
    throws(RPCFailure) -> JSONValue
  {
    switch method {
    case "eth_chainId":
      return hex(BigUInt(ledger.chainID))
    case "net_version":
      return .string(String(ledger.chainID))
    case "eth_blockNumber":
      return hex(BigUInt(ledger.block))
    case "eth_getBalance":
      let owner = try address(params.string(at: 0, "address"))
      try checkBlock(params, at: 1, ledger: ledger)
      return hex(ledger.native[owner] ?? 0)
    case "eth_getCode":
      let target = try address(params.string(at: 0, "address"))
      return ledger.hasCode(target) ? "0x6080604052" : "0x"
    case "eth_call":
      let call = params.object(at: 0)
      guard let to = call["to"]?.stringValue else { throw .invalidParams("eth_call needs a 'to' address") }
      let target = try address(to)
      let input = call["data"]?.stringValue ?? call["input"]?.stringValue ?? "0x"
      guard let calldata = Hex.decode(input) else { throw .invalidParams("'data' must be 0x-prefixed hex") }
      try checkBlock(params, at: 1, ledger: ledger)
      return .string("0x" + Hex.encode(try execute(target, calldata, ledger: ledger, stats: &stats)))
    default:
      throw .methodNotFound(method)
    }
  }

  private static func execute(
    _ target: EVMAddress, _ calldata: [UInt8], ledger: EVMLedger, stats: inout DevChainStats
  ) throws(RPCFailure) -> [UInt8] {
    if target == Multicall3.address, ledger.multicallEnabled,
      calldata.starts(with: Multicall3.aggregate3Function.selector)
    {
      let calls: [Multicall3.Call3]
      do {
        calls = try Multicall3.decodeAggregate3Call(calldata)
      } catch {
        throw RPCFailure(code: 3, message: "execution reverted: \(error.description)")
      }
      guard calls.count <= ledger.maxCallsPerMulticall else {
        throw RPCFailure(code: -32000, message: "out of gas")
      }
      stats.multicallCalls += calls.count
      var results: [Multicall3.Result] = []
      results.reserveCapacity(calls.count)
      for call in calls {
        let outcome = ledger.execute(target: call.target, calldata: call.callData)
        if !outcome.success && !call.allowFailure {
          throw RPCFailure(code: 3, message: "execution reverted: Multicall3: call failed")
        }
        results.append(Multicall3.Result(success: outcome.success, returnData: outcome.returnData))
      }
      return Multicall3.encodeAggregate3Result(results)
    }
    let outcome = ledger.execute(target: target, calldata: calldata)
    guard outcome.success else { throw RPCFailure(code: 3, message: "execution reverted") }
    return outcome.returnData
  }

  /// Devchain keeps only the current state: "latest" and any past block read it; a future
  /// block is unknown, as on a real node.
  private static func checkBlock(_ params: [JSONValue], at index: Int, ledger: EVMLedger) throws(RPCFailure) {
    guard index < params.count, case .string(let tag) = params[index] else { return }
    if ["latest", "pending", "safe", "finalized", "earliest"].contains(tag) { return }
    guard tag.hasPrefix("0x"), let number = UInt64(tag.dropFirst(2), radix: 16) else {
      throw .invalidParams("invalid block tag \(tag)")
    }
    if number > ledger.block { throw RPCFailure(code: -32000, message: "header not found") }
  }

  static func address(_ text: String) throws(RPCFailure) -> EVMAddress {
    guard let bytes = Hex.decode(text), text.hasPrefix("0x"), let address = EVMAddress(bytes: bytes) else {
      throw .invalidParams("invalid address \(text)")
    }
    return address
  }

  static func hex(_ value: BigUInt) -> JSONValue {
    .string("0x" + String(value, radix: 16))
  }
}
