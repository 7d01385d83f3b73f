import ChainClients
import ChainSync
import Foundation
import LiveUpdates
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/wallets/{id}/fetch` reads the chain now; `/balances` answers from SQLite.
struct BalanceRoutes {
  let wallets: WalletStore
  let prices: PriceStore
  let service: BalanceService
  let live: LiveService

  var routes: [Route] {
    [
      Route(.post, "/api/v1/wallets/{id}/fetch") { try await fetch($0) },
      Route(.get, "/api/v1/wallets/{id}/balances") { try balances($0) },
    ]
  }

  private func fetch(_ context: RouteContext) async throws -> HTTPResponse {
    let wallet = try find(context)
    guard live.pollers[wallet.chain] != nil else { throw APIError.chainDisabled(wallet.chain) }
    do {
      try await live.refresh(wallet)
    } catch let error as ChainRPCError {
      throw APIError.chainFailure(error)
    } catch let error as FetchTimedOut {
      throw APIError(
        Problem(
          status: 504, title: "Gateway Timeout", detail: "Reading \(wallet.chain) took too long: \(error).",
          extensions: ["chain": .string(wallet.chain.rawValue)]))
    } catch is FeedClosed {
      throw APIError.unavailable("The server is shutting down; retry shortly.")
    }
    return try answer(wallet)
  }

  private func balances(_ context: RouteContext) throws -> HTTPResponse {
    try answer(try find(context))
  }

  private func answer(_ wallet: Wallet) throws -> HTTPResponse {
    JSONResponse.json(
      Self.walletBalances(
        wallet, try service.storedBalances(walletID: wallet.id), prices: try prices.current()))
  }

  private func find(_ context: RouteContext) throws -> Wallet {
    try WalletRoutes.wallet(context, in: wallets)
  }
}

extension APIError {
  /// A wallet kept from when its chain was on: nothing reads that chain now.
  static func chainDisabled(_ chain: ChainName) -> APIError {
    let key = "chains.\(chain).enabled"
    // The environment name of a chain key, as the config reads it: CHAINS_ dropped.
    let variable = "\(chain.rawValue.uppercased())_ENABLED"
    return APIError.conflict(
      "The \(chain) chain is off on this server, so its wallets are not read. "
        + "Turn it on with \(key): true in the config file (or \(variable)=true), then restart the server.",
      extensions: ["chain": .string(chain.rawValue)])
  }

  /// A node that failed: 502, 503 or 504, naming the chain.
  static func chainFailure(_ error: ChainRPCError) -> APIError {
    let titles = [502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"]
    let status = error.gatewayStatus
    return APIError(
      Problem(
        status: status, title: titles[status] ?? "Bad Gateway",
        detail: "Reading \(error.chain) failed: \(error.description)",
        extensions: ["chain": .string(error.chain)]))
  }
}

extension BalanceRoutes {
  /// `{wallet_id, chain, address, balances, usd, unpriced_assets}`: what the fetch and balances
  /// routes answer.
  static func walletBalances(_ wallet: Wallet, _ balances: [StoredBalance], prices: [AssetKey: StoredPrice])
    -> JSONValue
  {
    var object: [String: JSONValue] = [
      "wallet_id": .string(wallet.id.uuidString.lowercased()), "chain": .string(wallet.chain.rawValue),
      "address": .string(wallet.address),
    ]
    object.merge(Valuation.wallet(balances, chain: wallet.chain, prices: prices)) { $1 }
    return .object(object)
  }
}
