public import BigInt
import Foundation
public import PortfolioCore
import Synchronization

/// Native and ERC-20 balances of many wallets in a few HTTP requests: Multicall3 `aggregate3`
/// chunks (each `eth_call` pinned to one block), several chunks per JSON-RPC batch, batches
/// sent concurrently. Without Multicall3 it falls back to batches of `eth_getBalance` and
/// `eth_call balanceOf`.
public final class EVMBalanceReader: Sendable {
  public struct Settings: Sendable {
    /// Calls in one aggregate3 to start with.
    public var callsPerMulticall = 200
    /// The most calls one aggregate3 grows to while the node accepts them.
    public var maxCallsPerMulticall = 500
    /// Plain calls (without Multicall3) in one HTTP request.
    public var callsPerBatch = 20
    /// aggregate3 calls in one HTTP request. Each carries hundreds of calls (a quarter of a
    /// megabyte of hex at 500), so a few per request keep a read's memory small while a
    /// 10,000-wallet read still takes a few dozen requests.
    public var multicallsPerRequest = 4
    /// HTTP requests in flight at once.
    public var concurrency = 4
    public var multicallAddress: EVMAddress = Multicall3.address

    public init() {}
  }

  public let rpc: RPCClient
  let settings: Settings
  /// Adapts to what the node accepts: shrinks on refusals, grows after clean reads.
  let chunkSize: Mutex<Int>

  public init(rpc: RPCClient, settings: Settings = Settings()) {
    self.rpc = rpc
    self.settings = settings
    chunkSize = Mutex(max(1, settings.callsPerMulticall))
  }

  public func chainID() async throws(ChainRPCError) -> UInt64 {
    try Self.quantity(try await rpc.call(JSONRPCCall("eth_chainId"), as: String.self), chain: rpc.chain)
  }

  public func blockNumber() async throws(ChainRPCError) -> UInt64 {
    try Self.quantity(try await rpc.call(JSONRPCCall("eth_blockNumber"), as: String.self), chain: rpc.chain)
  }

  /// Whether Multicall3 has code on this chain.
  public func hasMulticall() async throws(ChainRPCError) -> Bool {
    let code = try await rpc.call(
      JSONRPCCall("eth_getCode", [.string(settings.multicallAddress.lowercasedHex), "latest"]),
      as: String.self)
    return code.count > 2
  }

  /// Reads every wallet's native balance and its balance of each token, all at one block:
  /// `block`, or the latest when nil.
  public func read(
    wallets: [EVMAddress], tokens: [EVMAddress], useMulticall: Bool = true, block pinned: UInt64? = nil
  ) async throws(ChainRPCError) -> EVMReading {
    let block: UInt64
    if let pinned {
      block = pinned
    } else {
      block = try await blockNumber()
    }
    var calls: [(key: BalanceKey, call: Multicall3.Call3)] = []
    calls.reserveCapacity(wallets.count * (tokens.count + 1))
    for wallet in wallets {
      calls.append(
        (
          BalanceKey(wallet: wallet, token: nil),
          Multicall3.Call3(
            target: settings.multicallAddress, allowFailure: true, callData: Multicall3.getEthBalance(wallet))
        ))
      for token in tokens {
        calls.append(
          (
            BalanceKey(wallet: wallet, token: token),
            Multicall3.Call3(
              target: token, allowFailure: true, callData: ERC20Calls.balanceOf(wallet))
          ))
      }
    }
    let returns =
      useMulticall
      ? try await viaMulticall(calls.map(\.call), block: block).results
      : try await viaBatches(calls.map { ($0.key, $0.call) }, block: block)
    var balances: [BalanceKey: BigUInt] = [:]
    balances.reserveCapacity(calls.count)
    var unreadable: [BalanceKey] = []
    for (index, entry) in calls.enumerated() {
      if let data = returns[index], data.count >= 32, let value = try? ERC20Calls.decodeUInt256(data) {
        balances[entry.key] = value
      } else {
        unreadable.append(entry.key)
      }
    }
    return EVMReading(block: block, balances: balances, unreadable: unreadable)
  }

  /// Return data per call in order; nil where the call failed. A chunk the node refuses (out of
  /// gas, response too large) is split in half and retried, and the chunk size shrinks; a read
  /// that needed no split lets it grow again, up to `maxCallsPerMulticall`, unless `grows` is
  /// false (a small read proves nothing about larger chunks). `block` nil reads the latest;
  /// `requests` counts the HTTP requests sent.
  func viaMulticall(_ calls: [Multicall3.Call3], block: UInt64?, grows: Bool = true)
    async throws(ChainRPCError)
    -> (results: [[UInt8]?], requests: Int)
  {
    let size = chunkSize.withLock { $0 }
    var pending = stride(from: 0, to: calls.count, by: size).map { $0..<min($0 + size, calls.count) }
    var results = [[UInt8]?](repeating: nil, count: calls.count)
    var split = false
    var requests = 0
    while !pending.isEmpty {
      let chunks = pending
      requests +=
        (chunks.count + max(1, settings.multicallsPerRequest) - 1) / max(1, settings.multicallsPerRequest)
      let multicall = settings.multicallAddress
      let answers = try await BatchSender.send(
        count: chunks.count,
        call: { Self.aggregate3Call(Array(calls[chunks[$0]]), at: multicall, block: block) },
        as: Aggregate3Answer.self, through: rpc, perRequest: settings.multicallsPerRequest,
        concurrency: settings.concurrency)
      var refused: [Range<Int>] = []
      for (range, answer) in zip(pending, answers) {
        switch answer {
        case .success(let answer):
          guard case .results(let decoded) = answer, decoded.count == range.count else {
            throw ChainRPCError(
              chain: rpc.chain, kind: .malformed, endpoint: nil,
              message: "aggregate3 returned data that does not decode")
          }
          for (offset, result) in decoded.enumerated() {
            results[range.lowerBound + offset] = result.success ? result.returnData : nil
          }
        case .failure where range.count > 1:
          let middle = range.lowerBound + range.count / 2
          refused += [range.lowerBound..<middle, middle..<range.upperBound]
        case .failure(let error):
          throw ChainRPCError(
            chain: rpc.chain, kind: .rpc(error), endpoint: nil, message: "aggregate3 failed: \(error)")
        }
      }
      if !refused.isEmpty {
        split = true
        let smaller = max(1, (refused.map(\.count).max() ?? 1))
        chunkSize.withLock { $0 = min($0, smaller) }
      }
      pending = refused
    }
    if !split, grows {
      let ceiling = max(settings.maxCallsPerMulticall, settings.callsPerMulticall)
      chunkSize.withLock { $0 = min(ceiling, $0 + max(1, $0 / 4)) }
    }
    return (results, requests)
  }

  /// `eth_call` of `aggregate3(chunk)`: `[{"data":"0x…","to":"0x…"},"<block>"]`, its hex
  /// written straight into the request body when the request is made.
  static func aggregate3Call(_ chunk: [Multicall3.Call3], at multicall: EVMAddress, block: UInt64?)
    -> JSONRPCCall
  {
    let to = multicall.lowercasedHex
    let blockTag = block.map { "0x" + String($0, radix: 16) } ?? "latest"
    let size = 2 * Multicall3.aggregate3ByteCount(chunk) + to.utf8.count + blockTag.utf8.count + 26
    return JSONRPCCall("eth_call", paramsByteCount: size) { output in
      output.append(contentsOf: #"[{"data":"0x"#.utf8)
      Hex.write(Multicall3.aggregate3(chunk), to: &output)
      output.append(contentsOf: #"","to":""#.utf8)
      output.append(contentsOf: to.utf8)
      output.append(contentsOf: #""},""#.utf8)
      output.append(contentsOf: blockTag.utf8)
      output.append(contentsOf: #""]"#.utf8)
    }
  }

  /// The calls per aggregate3 the next read starts with.
  public var currentChunkSize: Int { chunkSize.withLock { $0 } }

  /// Without Multicall3: one JSON-RPC call per balance, many per HTTP request.
  private func viaBatches(_ calls: [(BalanceKey, Multicall3.Call3)], block: UInt64)
    async throws(ChainRPCError)
    -> [[UInt8]?]
  {
    let blockTag = JSONValue.string("0x" + String(block, radix: 16))
    let rpcCalls = calls.map { key, call in
      key.token == nil
        ? JSONRPCCall("eth_getBalance", [.string(key.wallet.lowercasedHex), blockTag])
        : JSONRPCCall(
          "eth_call",
          [
            ["to": .string(call.target.lowercasedHex), "data": .string("0x" + Hex.encode(call.callData))],
            blockTag,
          ])
    }
    let answers = try await sendBatched(rpcCalls, perRequest: settings.callsPerMulticall)
    return zip(calls, answers).map { entry, answer in
      guard case .success(let hex) = answer else { return nil }
      guard entry.0.token == nil else { return Hex.decode(hex) }
      // eth_getBalance answers a quantity ("0x1a", odd lengths allowed); make it a 32-byte word
      // like balanceOf's so both decode the same way.
      guard hex.hasPrefix("0x"), let value = BigUInt(String(hex.dropFirst(2)), radix: 16) else { return nil }
      let bytes = Array(value.serialize())
      return bytes.count > 32 ? nil : [UInt8](repeating: 0, count: 32 - bytes.count) + bytes
    }
  }

  func sendBatched(_ calls: [JSONRPCCall], perRequest: Int? = nil) async throws(ChainRPCError)
    -> [Result<String, JSONRPCError>]
  {
    try await BatchSender.send(
      calls, as: String.self, through: rpc, perRequest: perRequest ?? settings.callsPerBatch,
      concurrency: settings.concurrency)
  }

  static func quantity(_ hex: String, chain: String) throws(ChainRPCError) -> UInt64 {
    guard hex.hasPrefix("0x"), let value = UInt64(hex.dropFirst(2), radix: 16) else {
      throw ChainRPCError(
        chain: chain, kind: .malformed, endpoint: nil, message: "expected a hex quantity, got \(hex)")
    }
    return value
  }
}

/// Which balance: a wallet's native coin (`token` nil) or one token.
public struct BalanceKey: Sendable, Hashable {
  public let wallet: EVMAddress
  public let token: EVMAddress?

  public init(wallet: EVMAddress, token: EVMAddress?) {
    self.wallet = wallet
    self.token = token
  }
}

/// One refresh of an EVM chain: every balance read at `block`.
public struct EVMReading: Sendable {
  public let block: UInt64
  public let balances: [BalanceKey: BigUInt]
  /// Calls that failed (a token that reverts, say); their balances are unknown, not zero.
  public let unreadable: [BalanceKey]
}
