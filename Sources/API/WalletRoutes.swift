import Foundation
import LiveUpdates
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/wallets`: add, list, read, relabel and delete tracked wallets.
struct WalletRoutes {
  let wallets: WalletStore
  let chains: [String: Chain]
  let live: LiveService
  let now: @Sendable () -> Date

  static let maxLabelLength = 100
  static let defaultPageSize = 100
  static let maxPageSize = 500

  var routes: [Route] {
    [
      Route(.post, "/api/v1/wallets") { try add($0) },
      Route(.get, "/api/v1/wallets") { try list($0) },
      Route(.get, "/api/v1/wallets/{id}") { JSONResponse.json(Representation.wallet(try find($0))) },
      Route(.patch, "/api/v1/wallets/{id}") { try relabel($0) },
      Route(.delete, "/api/v1/wallets/{id}") { try delete($0) },
    ]
  }

  private func add(_ context: RouteContext) throws -> HTTPResponse {
    let body = try JSONBody(context.request)
    try body.allowOnly(["address", "chain", "label"])
    let chainName = try body.string("chain").trimmingCharacters(in: .whitespaces).lowercased()
    let address = try body.string("address")
    let label = try Self.label(try body.optionalString("label"))
    guard let chain = chains[chainName] else {
      let supported = chains.keys.sorted()
      throw APIError.badRequest(
        "Unknown chain '\(chainName)'; supported chains: \(supported.joined(separator: ", ")).",
        field: "chain", extensions: ["supported_chains": .strings(supported)])
    }
    let canonical: String
    do {
      canonical = try WalletAddress.canonical(address, on: chain)
    } catch {
      var extensions: [String: ProblemValue] = ["chain": .string(chain.name)]
      if let suggestion = error.suggestion { extensions["suggestion"] = .string(suggestion) }
      throw APIError.badRequest(
        "Invalid \(chain.name) address: \(error.description)", field: "address",
        extensions: extensions)
    }
    let time = now()
    let wallet = Wallet(chain: chain.name, address: canonical, label: label, createdAt: time, updatedAt: time)
    do {
      let added = try wallets.add(wallet)
      live.walletAdded(added)
      let location = "/api/v1/wallets/\(added.id.uuidString.lowercased())"
      return JSONResponse.json(Representation.wallet(added), status: 201, headers: [("location", location)])
    } catch let exists as WalletExists {
      let id = exists.existing.id.uuidString.lowercased()
      throw APIError.conflict(
        "The \(chain.name) wallet \(canonical) is already tracked as \(id).",
        extensions: ["existing_id": .string(id)])
    }
  }

  private func list(_ context: RouteContext) throws -> HTTPResponse {
    let request = context.request
    let limit = try request.pageLimit(standard: Self.defaultPageSize, maximum: Self.maxPageSize)
    var cursor: WalletCursor?
    if let text = request.queryValue("cursor"), !text.isEmpty {
      guard let decoded = CursorCoding.decode(text) else {
        throw APIError.badRequest(
          "The query parameter 'cursor' is not a cursor this server gave out.", field: "cursor")
      }
      cursor = decoded
    }
    let chain = request.queryValue("chain")?.lowercased()
    if let chain, chains[chain] == nil {
      throw APIError.badRequest(
        "Unknown chain '\(chain)'; supported chains: \(chains.keys.sorted().joined(separator: ", ")).",
        field: "chain", extensions: ["supported_chains": .strings(chains.keys.sorted())])
    }
    let page = try wallets.list(limit: limit, after: cursor, chain: chain)
    return JSONResponse.json([
      "wallets": .array(page.wallets.map(Representation.wallet)),
      "next_cursor": page.nextCursor.map { .string(CursorCoding.encode($0)) } ?? .null,
    ])
  }

  private func relabel(_ context: RouteContext) throws -> HTTPResponse {
    let id = try Self.walletID(context)
    let body = try JSONBody(context.request)
    try body.allowOnly(["label"])
    guard body.has("label") else {
      throw APIError.badRequest(
        "The field 'label' is required (a string, or null to clear it).", field: "label")
    }
    let label = try Self.label(try body.optionalString("label"))
    guard let wallet = try wallets.relabel(id: id, label: label, at: now()) else {
      throw Self.unknownWallet(context)
    }
    return JSONResponse.json(Representation.wallet(wallet))
  }

  private func delete(_ context: RouteContext) throws -> HTTPResponse {
    let id = try Self.walletID(context)
    guard try wallets.delete(id: id) else { throw Self.unknownWallet(context) }
    live.walletRemoved(id)
    return HTTPResponse(status: 204)
  }

  private func find(_ context: RouteContext) throws -> Wallet {
    try Self.wallet(context, in: wallets)
  }

  /// The wallet the `{id}` of the path names, or a 404.
  static func wallet(_ context: RouteContext, in wallets: WalletStore) throws -> Wallet {
    guard let wallet = try wallets.wallet(id: try walletID(context)) else { throw unknownWallet(context) }
    return wallet
  }

  /// A malformed id names no wallet, so it is a 404 like an unknown one.
  static func walletID(_ context: RouteContext) throws(APIError) -> UUID {
    guard let text = context.parameters["id"], let id = UUID(uuidString: text) else {
      throw unknownWallet(context)
    }
    return id
  }

  static func unknownWallet(_ context: RouteContext) -> APIError {
    .notFound("No wallet with id '\(context.parameters["id"] ?? "")'.")
  }

  /// Labels are trimmed; empty means none.
  static func label(_ text: String?) throws(APIError) -> String? {
    guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
      return nil
    }
    guard trimmed.count <= maxLabelLength else {
      throw .badRequest("The field 'label' is longer than \(maxLabelLength) characters.", field: "label")
    }
    return trimmed
  }
}
