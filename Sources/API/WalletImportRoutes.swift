import Foundation
import LiveUpdates
import PortfolioCore
import WebServer

/// `POST /api/v1/wallets/import`: up to 10,000 wallets at once, answered row by row. The valid
/// rows are added in one transaction; the new wallets are then read together, in batched reads.
struct WalletImportRoutes {
  let chains: [ChainName: PortfolioCore.Chain]
  let live: LiveService
  let now: @Sendable () -> Date

  static let path = "/api/v1/wallets/import"

  var routes: [Route] {
    [Route(.post, Self.path) { try await importWallets($0) }]
  }

  private enum RowResult {
    case invalid(field: String?, message: String)
    case pending(Int)
  }

  private func importWallets(_ context: RouteContext) async throws -> HTTPResponse {
    let rows = try WalletImportRows.parse(context.request)
    let input = WalletInput(chains: chains)
    let owner = try context.owner
    let time = now()
    var toAdd: [Wallet] = []
    let checked = rows.map { row -> RowResult in
      if let problem = row.problem { return .invalid(field: problem.field, message: problem.message) }
      guard let chain = row.chain, !chain.isEmpty else {
        return .invalid(field: "chain", message: "The field 'chain' is required.")
      }
      guard let address = row.address, !address.isEmpty else {
        return .invalid(field: "address", message: "The field 'address' is required.")
      }
      do {
        toAdd.append(
          try input.wallet(owner: owner, chain: chain, address: address, label: row.label, at: time))
        return .pending(toAdd.count - 1)
      } catch let error as APIError {
        return .invalid(field: error.problem.extensions["field"]?.text, message: error.problem.detail)
      } catch {
        return .invalid(field: nil, message: "\(error)")
      }
    }
    let outcomes: [ChangeFeed.ImportOutcome]
    do {
      outcomes = toAdd.isEmpty ? [] : try await live.feed.addWallets(toAdd)
    } catch is FeedClosed {
      throw APIError.unavailable("The server is shutting down; retry shortly.")
    }
    var created: [Wallet] = []
    var counts = (created: 0, existing: 0, invalid: 0)
    let results = checked.enumerated().map { index, result -> JSONValue in
      var entry: [String: JSONValue] = ["row": .integer(Int64(index + 1))]
      switch result {
      case .invalid(let field, let message):
        counts.invalid += 1
        entry["status"] = "invalid"
        entry["field"] = field.map(JSONValue.string) ?? .null
        entry["error"] = .string(message)
      case .pending(let position):
        switch outcomes[position] {
        case .created(let wallet):
          counts.created += 1
          created.append(wallet)
          entry["status"] = "created"
          entry["id"] = .string(wallet.id.uuidString.lowercased())
          entry["wallet"] = Representation.wallet(wallet)
        case .exists(let wallet):
          counts.existing += 1
          entry["status"] = "exists"
          entry["id"] = .string(wallet.id.uuidString.lowercased())
        }
      }
      return .object(entry)
    }
    await live.walletsAdded(created)
    return JSONResponse.json([
      "created": .integer(Int64(counts.created)), "existing": .integer(Int64(counts.existing)),
      "invalid": .integer(Int64(counts.invalid)), "results": .array(results),
    ])
  }
}

extension ProblemValue {
  /// The value when it is a string.
  var text: String? {
    if case .string(let value) = self { value } else { nil }
  }
}
