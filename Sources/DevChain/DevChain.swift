import BigInt
import Foundation
import PortfolioCore
import Synchronization

/// An in-memory chain simulator: Ethereum JSON-RPC (with Multicall3, ERC-20 reads and Chainlink
/// price feeds), Solana JSON-RPC (accounts, SPL token accounts) and a CoinGecko-compatible price
/// API, with faults to inject and request counters.
public final class DevChain: Sendable {
  struct State: Sendable {
    var ethereum = EVMLedger(chainID: 1)
    var solana = SolanaLedger()
    var faults: [String: DevChainFault] = [:]
    var stats: [String: DevChainStats] = ["ethereum": DevChainStats(), "solana": DevChainStats()]
    var tokenCounter = 0
    var prices = PriceBook()
    var coinGeckoKeyCheck: CoinGeckoKeyCheck?
    var coinGeckoStats = CoinGeckoStats()
  }

  public static let chains = ["ethereum", "solana"]
  /// The name `/control/fault` and `/control/stats` use for the CoinGecko API.
  public static let coinGecko = "coingecko"
  /// What a fault can be injected into: each chain's JSON-RPC, and the CoinGecko API.
  public static let faultTargets = chains + [coinGecko]
  let state = Mutex(State())

  public init(ethereumChainID: UInt64 = 1) {
    state.withLock { $0.ethereum.chainID = ethereumChainID }
  }

  /// Answers one JSON-RPC HTTP body for `chain`: a single call or a batch.
  func answer(chain: String, body: [UInt8]) -> [UInt8] {
    let request: JSONValue
    do {
      request = try JSONDecoder().decode(JSONValue.self, from: Data(body))
    } catch {
      return Self.encode(Self.failure(id: .null, RPCFailure(code: -32700, message: "Parse error")))
    }
    // Answer from a snapshot (the ledgers are copy-on-write), so concurrent requests are
    // served in parallel; only the counters go back under the lock.
    let snapshot = state.withLock { $0 }
    var stats = DevChainStats()
    stats.httpRequests = 1
    let answer: JSONValue
    switch request {
    case .array(let calls) where !calls.isEmpty:
      answer = .array(calls.map { Self.dispatch($0, chain: chain, state: snapshot, stats: &stats) })
    default:
      answer = Self.dispatch(request, chain: chain, state: snapshot, stats: &stats)
    }
    state.withLock { state in state.stats[chain, default: DevChainStats()].add(stats) }
    return Self.encode(answer)
  }

  private static func dispatch(_ call: JSONValue, chain: String, state: State, stats: inout DevChainStats)
    -> JSONValue
  {
    let id = call["id"] ?? .null
    guard case .string(let method)? = call["method"] else {
      return failure(id: id, RPCFailure(code: -32600, message: "Invalid Request"))
    }
    var params: [JSONValue] = []
    if case .array(let list)? = call["params"] { params = list }
    stats.calls[method, default: 0] += 1
    do {
      let result =
        chain == "solana"
        ? try SolanaRPC.handle(method, params, ledger: state.solana)
        : try EVMRPC.handle(method, params, ledger: state.ethereum, stats: &stats)
      return ["jsonrpc": "2.0", "id": id, "result": result]
    } catch {
      return failure(id: id, error)
    }
  }

  private static func failure(id: JSONValue, _ error: RPCFailure) -> JSONValue {
    ["jsonrpc": "2.0", "id": id, "error": error.json]
  }

  static func encode(_ value: JSONValue) -> [UInt8] {
    value.jsonBytes
  }

  /// The fault to apply to the next request to `chain` (or the CoinGecko API), spending one use.
  func takeFault(chain: String) -> DevChainFault? {
    state.withLock { state in state.faults[chain]?.consume() }
  }

  public var stats: [String: DevChainStats] { state.withLock { $0.stats } }
}
