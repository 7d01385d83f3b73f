import Foundation
import PortfolioCore
public import WebServer

/// Devchain over HTTP: `POST /ethereum` and `POST /solana` speak JSON-RPC,
/// `GET /coingecko/api/v3/...` answers like CoinGecko; `/control/...` changes the simulated state.
public struct DevChainResponder: HTTPResponder {
  let chain: DevChain

  public init(_ chain: DevChain) {
    self.chain = chain
  }

  public func respond(to request: HTTPRequest) async -> HTTPResponse {
    let path = request.path
    if DevChain.chains.contains(String(path.dropFirst())) {
      guard request.method == .post else {
        return text(405, "JSON-RPC is served by POST \(path)")
      }
      return await rpc(chain: String(path.dropFirst()), body: request.body)
    }
    if path.hasPrefix(CoinGeckoAPI.root) {
      return await CoinGeckoResponder(chain: chain).respond(to: request)
    }
    guard path.hasPrefix("/control/") else {
      return text(
        404, "devchain serves POST /ethereum, POST /solana, GET \(CoinGeckoAPI.root)... and /control/...")
    }
    do {
      return try control(String(path.dropFirst("/control/".count)), request)
    } catch {
      return json(400, ["error": .string(error.message)])
    }
  }

  private func rpc(chain name: String, body: [UInt8]) async -> HTTPResponse {
    let fault = chain.takeFault(chain: name)
    switch fault?.kind {
    case .latency?:
      try? await Task.sleep(for: .milliseconds(fault?.milliseconds ?? 0))
    case .tooManyRequests?:
      return HTTPResponse(
        status: 429, contentType: "application/json", headers: [("retry-after", "1")],
        body: Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":429,"message":"rate limited"}}"#.utf8))
    case .serverError?:
      return text(500, "internal error")
    case .malformed?:
      return HTTPResponse(
        status: 200, contentType: "application/json", body: Array("{\"jsonrpc\":\"2.0\",\"res".utf8))
    case .drop?:
      return .aborted
    case .none?, nil:
      break
    }
    return HTTPResponse(
      status: 200, contentType: "application/json", body: chain.answer(chain: name, body: body))
  }

  private func control(_ action: String, _ request: HTTPRequest) throws(DevChain.ControlError) -> HTTPResponse
  {
    if action == "stats" {
      var stats = chain.stats.mapValues(Self.statsJSON)
      stats[DevChain.coinGecko] = Self.coinGeckoStatsJSON(chain.coinGeckoStats)
      return json(200, .object(stats))
    }
    guard request.method == .post else {
      throw DevChain.ControlError(message: "use POST for /control/\(action)")
    }
    let body = try Self.body(request)
    let name = body["chain"]?.stringValue ?? ""
    switch action {
    case "token":
      guard let symbol = body["symbol"]?.stringValue, let decimals = body["decimals"]?.uint8 else {
        throw DevChain.ControlError(message: "token needs symbol (string) and decimals (0-255)")
      }
      let address = try chain.createToken(
        chain: name, address: body["address"]?.stringValue, symbol: symbol, decimals: decimals,
        program: body["program"]?.stringValue)
      return json(
        201,
        [
          "chain": .string(name), "address": .string(address), "symbol": .string(symbol),
          "decimals": .integer(Int64(decimals)),
        ])
    case "balance":
      guard let address = body["address"]?.stringValue, let amount = body["amount"]?.stringValue else {
        throw DevChain.ControlError(
          message: "balance needs address and amount (a decimal string of base units)")
      }
      let head = try chain.setBalance(
        chain: name, address: address, token: body["token"]?.stringValue, amount: amount)
      return json(200, ["chain": .string(name), "head": .unsigned(head)])
    case "advance":
      let head = try chain.advance(chain: name, blocks: body["blocks"]?.uint64 ?? 1)
      return json(200, ["chain": .string(name), "head": .unsigned(head)])
    case "fault":
      guard let kindText = body["kind"]?.stringValue, let kind = DevChainFault.Kind(rawValue: kindText) else {
        let kinds = DevChainFault.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        throw DevChain.ControlError(message: "fault needs kind: one of \(kinds)")
      }
      let count = body["count"]?.uint64.map(Int.init)
      try chain.setFault(
        chain: name, DevChainFault(kind: kind, remaining: count, milliseconds: Int(body["ms"]?.uint64 ?? 0)))
      return json(200, ["chain": .string(name), "kind": .string(kind.rawValue)])
    case "multicall":
      chain.configureMulticall(
        enabled: body["enabled"] != .bool(false), maxCalls: body["max_calls"]?.uint64.map(Int.init))
      return json(200, ["ok": true])
    case "price":
      return try setPrice(body)
    case "coingecko":
      return try configureCoinGecko(body)
    case "reset-stats":
      chain.resetStats()
      return json(200, ["ok": true])
    default:
      throw DevChain.ControlError(message: "unknown control action \(action)")
    }
  }

  private static func body(_ request: HTTPRequest) throws(DevChain.ControlError) -> JSONValue {
    guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(request.body)),
      case .object = value
    else { throw DevChain.ControlError(message: "send a JSON object") }
    return value
  }

  static func statsJSON(_ stats: DevChainStats) -> JSONValue {
    [
      "http_requests": .integer(Int64(stats.httpRequests)),
      "calls": .object(stats.calls.mapValues { .integer(Int64($0)) }),
      "multicall_calls": .integer(Int64(stats.multicallCalls)),
    ]
  }

  func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
    HTTPResponse(status: status, contentType: "application/json", body: DevChain.encode(value))
  }

  private func text(_ status: Int, _ message: String) -> HTTPResponse {
    HTTPResponse(status: status, contentType: "text/plain", body: Array(message.utf8))
  }
}

extension JSONValue {
  var uint64: UInt64? {
    switch self {
    case .integer(let value) where value >= 0: UInt64(value)
    case .unsigned(let value): value
    case .string(let text): UInt64(text)
    default: nil
    }
  }

  var uint8: UInt8? { uint64.flatMap { UInt8(exactly: $0) } }
}
