import Foundation
import PortfolioCore
import WebServer

/// What the server knows of a chain beyond its name: for `/api/v1/chains`.
public struct ChainInfo: Sendable {
  public var nativeSymbol: String
  public var nativeDecimals: Int
  public var chainID: UInt64?
  public var pollInterval: Double
  /// The block explorer, without a trailing slash.
  public var explorerURL: String?

  public init(
    nativeSymbol: String, nativeDecimals: Int, chainID: UInt64?, pollInterval: Double, explorerURL: String?
  ) {
    self.nativeSymbol = nativeSymbol
    self.nativeDecimals = nativeDecimals
    self.chainID = chainID
    self.pollInterval = pollInterval
    self.explorerURL = explorerURL
  }
}

/// `/api/v1/chains`: the enabled chains, for clients that offer a choice of chain or link to an
/// explorer.
struct ChainRoutes {
  let chains: [Chain]
  let info: [ChainName: ChainInfo]

  var routes: [Route] {
    [Route(.get, "/api/v1/chains") { _ in JSONResponse.json(["chains": .array(listed())]) }]
  }

  private func listed() -> [JSONValue] {
    chains.sorted { $0.name.rawValue < $1.name.rawValue }.map { chain in
      let details = info[chain.name]
      var object: [String: JSONValue] = [
        "name": .string(chain.name.rawValue), "family": .string(chain.family.rawValue),
        "chain_id": details?.chainID.map(JSONValue.unsigned) ?? .null,
        "native_symbol": details.map { .string($0.nativeSymbol) } ?? .null,
        "native_decimals": details.map { .integer(Int64($0.nativeDecimals)) } ?? .null,
        "poll_interval_seconds": details.map { .double($0.pollInterval) } ?? .null,
        "explorer": .null,
      ]
      if let base = details?.explorerURL {
        // Solana's explorers name an account page what EVM explorers call an address page.
        let account = chain.family == .solana ? "account" : "address"
        object["explorer"] = [
          "url": .string(base), "address": .string("\(base)/\(account)/{address}"),
          "token": .string("\(base)/token/{token}"),
        ]
      }
      return .object(object)
    }
  }
}
