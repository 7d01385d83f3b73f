import ChainSync
import Foundation
import LiveUpdates
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/tokens`: tokens tracked beyond the built-in lists.
struct TokenRoutes {
  let service: BalanceService

  var routes: [Route] {
    [
      Route(.post, "/api/v1/tokens") { try await add($0) },
      Route(.get, "/api/v1/tokens") { try list($0) },
      Route(.delete, "/api/v1/tokens") { try remove($0) },
    ]
  }

  private func add(_ context: RouteContext) async throws -> HTTPResponse {
    let body = try JSONBody(context.request)
    try body.allowOnly(["chain", "address", "symbol"])
    let chain = ChainName(parsing: try body.string("chain"))
    let address = try body.string("address")
    let symbol = try body.optionalString("symbol")?.trimmingCharacters(in: .whitespaces)
    if let symbol, symbol.isEmpty || symbol.count > 32 {
      throw APIError.badRequest("The field 'symbol' must be 1 to 32 characters.", field: "symbol")
    }
    let token: TrackedToken
    do {
      token = try await service.addToken(chain: chain, address: address, symbol: symbol)
    } catch {
      throw Self.problem(error, chain: chain)
    }
    return JSONResponse.json(Self.json(token), status: 201)
  }

  private func list(_ context: RouteContext) throws -> HTTPResponse {
    let chain = context.request.queryValue("chain").map(ChainName.init(parsing:))
    if let chain, service.chains[chain] == nil {
      throw Self.problem(.unknownChain(supported: service.chains.keys.sorted()), chain: chain)
    }
    return JSONResponse.json(["tokens": .array(try service.trackedTokenList(chain: chain).map(Self.json))])
  }

  /// The token to stop tracking comes in the body or the query: `?chain=&address=`.
  private func remove(_ context: RouteContext) throws -> HTTPResponse {
    let request = context.request
    let chain: ChainName
    let address: String
    if request.body.isEmpty {
      guard let queryChain = request.queryValue("chain"), let queryAddress = request.queryValue("address")
      else {
        throw APIError.badRequest(
          "Name the token: a body {chain, address} or ?chain=&address=.", field: "address")
      }
      (chain, address) = (ChainName(parsing: queryChain), queryAddress)
    } else {
      let body = try JSONBody(request)
      try body.allowOnly(["chain", "address"])
      (chain, address) = (ChainName(parsing: try body.string("chain")), try body.string("address"))
    }
    guard let runtime = service.chains[chain] else {
      throw Self.problem(.unknownChain(supported: service.chains.keys.sorted()), chain: chain)
    }
    let canonical: String
    do {
      canonical = try WalletAddress.canonical(address, on: runtime.settings.chain)
    } catch {
      throw Self.problem(.invalidAddress(error.description), chain: chain)
    }
    guard try service.removeToken(chain: chain, address: canonical) else {
      throw APIError.notFound(
        "No token \(canonical) was added on \(chain); tokens of the built-in list cannot be removed.")
    }
    return HTTPResponse(status: 204)
  }

  static func json(_ token: TrackedToken) -> JSONValue {
    [
      "chain": .string(token.chain.rawValue), "address": .string(token.address),
      "symbol": .string(token.symbol),
      "decimals": .integer(Int64(token.decimals)), "source": .string(token.source.rawValue),
    ]
  }

  static func problem(_ error: AddTokenError, chain: ChainName) -> APIError {
    switch error {
    case .unknownChain(let supported):
      return .unknownChain(chain, supported: supported)
    case .invalidAddress(let reason):
      return .badRequest("Invalid \(chain) token address: \(reason)", field: "address")
    case .notAToken(let reason):
      return APIError(
        Problem(
          status: 422, title: "Unprocessable Content", detail: reason,
          extensions: ["field": .string("address")]))
    case .alreadyTracked(let token):
      return .conflict(
        "The \(chain) token \(token.address) (\(token.symbol)) is already tracked.", extensions: [:])
    case .listed(let symbol):
      return .conflict(
        "That address is \(symbol), already in the built-in token list for \(chain).", extensions: [:])
    case .node(let failure):
      return .chainFailure(failure)
    case .storage(let reason):
      return .unavailable("The token could not be stored: \(reason)")
    }
  }
}
