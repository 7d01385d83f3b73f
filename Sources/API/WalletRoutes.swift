import APIDocument
import Foundation
import LiveUpdates
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/wallets`: add, list, read, relabel and delete tracked wallets.
struct WalletRoutes {
  let wallets: WalletStore
  let chains: [ChainName: Chain]
  let live: LiveService
  let now: @Sendable () -> Date

  static let defaultPageSize = 100
  static let maxPageSize = 500

  var routes: [Route] {
    [
      Route(.post, "/api/v1/wallets") { try await add($0) },
      Route(.get, "/api/v1/wallets") { try list($0) },
      Route(.get, "/api/v1/wallets/{id}") { JSONResponse.json(Representation.wallet(try find($0))) },
      Route(.patch, "/api/v1/wallets/{id}") { try relabel($0) },
      Route(.delete, "/api/v1/wallets/{id}") { try await delete($0) },
    ]
  }

  private func add(_ context: RouteContext) async throws -> HTTPResponse {
    let body = try JSONBody(context.request)
    try body.allowOnly(["address", "chain", "label"])
    let wallet = try WalletInput(chains: chains).wallet(
      owner: try context.owner, chain: try body.string("chain"), address: try body.string("address"),
      label: try body.optionalString("label"), at: now())
    do {
      let added = try await live.feed.addWallet(wallet)
      await live.walletsAdded([added])
      let location = "/api/v1/wallets/\(added.id.uuidString.lowercased())"
      return JSONResponse.json(Representation.wallet(added), status: 201, headers: [("location", location)])
    } catch let exists as WalletExists {
      let id = exists.existing.id.uuidString.lowercased()
      throw APIError.conflict(
        "The \(wallet.chain) wallet \(wallet.address) is already tracked as \(id).",
        extensions: ["existing_id": .string(id)])
    } catch is FeedClosed {
      throw APIError.unavailable("The server is shutting down; retry shortly.")
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
    let chain = request.queryValue("chain").map(ChainName.init(parsing:))
    if let chain, chains[chain] == nil {
      throw APIError.unknownChain(chain, supported: chains.keys.sorted())
    }
    if CSVExport.wanted(request) {
      return try walletsCSV(owner: try context.owner, after: cursor, chain: chain)
    }
    let page = try wallets.list(owner: try context.owner, limit: limit, after: cursor, chain: chain)
    return JSONResponse.json([
      "wallets": .array(page.wallets.map(Representation.wallet)),
      "next_cursor": page.nextCursor.map { .string(CursorCoding.encode($0)) } ?? .null,
    ])
  }

  /// Every wallet of the user (of `chain`), in the list's order: with `chain`, `address` and
  /// `label` first, the file imports back through `/api/v1/wallets/import`.
  private func walletsCSV(owner: UserID, after cursor: WalletCursor?, chain: ChainName?) throws
    -> HTTPResponse
  {
    var rows: [[String]] = []
    var next = cursor
    repeat {
      let page = try wallets.list(owner: owner, limit: Self.maxPageSize, after: next, chain: chain)
      for wallet in page.wallets {
        rows.append([
          wallet.chain.rawValue, wallet.address, CSVExport.text(wallet.label),
          wallet.id.uuidString.lowercased(),
          wallet.createdAt.iso8601,
        ])
      }
      next = page.nextCursor
    } while next != nil && rows.count < CSVExport.maxRows
    return CSVExport.response(name: "wallets", header: CSVColumns.wallets, rows: rows)
  }

  private func relabel(_ context: RouteContext) throws -> HTTPResponse {
    let id = try Self.walletID(context)
    let body = try JSONBody(context.request)
    try body.allowOnly(["label"])
    guard body.has("label") else {
      throw APIError.badRequest(
        "The field 'label' is required (a string, or null to clear it).", field: "label")
    }
    let label = try WalletInput.label(try body.optionalString("label"))
    guard let wallet = try wallets.relabel(id: id, owner: try context.owner, label: label, at: now()) else {
      throw Self.unknownWallet(context)
    }
    return JSONResponse.json(Representation.wallet(wallet))
  }

  private func delete(_ context: RouteContext) async throws -> HTTPResponse {
    let id = try Self.walletID(context)
    do {
      guard try await live.feed.removeWallet(id: id, owner: try context.owner) else {
        throw Self.unknownWallet(context)
      }
    } catch is FeedClosed {
      throw APIError.unavailable("The server is shutting down; retry shortly.")
    }
    return HTTPResponse(status: 204)
  }

  private func find(_ context: RouteContext) throws -> Wallet {
    try Self.wallet(context, in: wallets)
  }

  /// The caller's wallet the `{id}` of the path names, or a 404: another user's wallet is as
  /// unknown as a missing one.
  static func wallet(_ context: RouteContext, in wallets: WalletStore) throws -> Wallet {
    guard let wallet = try wallets.wallet(id: try walletID(context), owner: try context.owner) else {
      throw unknownWallet(context)
    }
    return wallet
  }

  /// A malformed id names no wallet, so it is a 404 like an unknown one.
  static func walletID(_ context: RouteContext) throws(APIError) -> UUID {
    try context.uuid(orElse: unknownWallet(context))
  }

  static func unknownWallet(_ context: RouteContext) -> APIError {
    .notFound("No wallet with id '\(context.parameters["id"] ?? "")'.")
  }
}
