public import ChainClients
import Foundation
public import PortfolioCore
public import Storage

/// Why a token could not be added.
public enum AddTokenError: Error, Sendable {
  case unknownChain(supported: [ChainName])
  case invalidAddress(String)
  /// The address answers no decimals() (EVM) or holds no mint (Solana).
  case notAToken(String)
  case alreadyTracked(TrackedToken)
  case listed(symbol: String)
  case node(ChainRPCError)
  case storage(String)
}

extension BalanceService {
  /// Starts tracking a token on every wallet of its chain, with metadata read on chain.
  public func addToken(chain: ChainName, address text: String, symbol: String?) async throws(AddTokenError)
    -> TrackedToken
  {
    guard let runtime = chains[chain] else { throw .unknownChain(supported: chains.keys.sorted()) }
    let address: String
    var found: (symbol: String, decimals: UInt8)?
    do {
      switch runtime.settings.chain.family {
      case .evm:
        let contract: EVMAddress
        do { contract = try EVMAddress(parsing: text) } catch {
          throw AddTokenError.invalidAddress(error.description)
        }
        address = contract.checksummed
        if let listed = listedTokens[chain]?.first(where: { $0.address == address }) {
          throw AddTokenError.listed(symbol: listed.symbol)
        }
        if let reader = runtime.evm, let metadata = try await reader.metadata(of: [contract])[contract] {
          found = (metadata.symbol, metadata.decimals)
        }
      case .solana:
        let mint: SolanaAddress
        do { mint = try SolanaAddress(parsing: text) } catch {
          throw AddTokenError.invalidAddress(error.description)
        }
        address = mint.base58
        if let reader = runtime.solana, let decimals = try await reader.mintDecimals([mint])[mint] {
          found = (Self.shortName(mint), decimals)
        }
      }
    } catch let error as AddTokenError {
      throw error
    } catch let error as ChainRPCError {
      throw .node(error)
    } catch {
      throw .notAToken("\(error)")
    }
    guard let found else {
      throw .notAToken(
        runtime.settings.chain.family == .evm
          ? "\(address) does not answer decimals() and symbol() on \(chain): it is not an ERC-20 token"
          : "\(address) is not an SPL token mint on \(chain)")
    }
    let existing: TrackedToken?
    do { existing = try tokens.token(chain: chain, address: address) } catch { throw .storage("\(error)") }
    if let existing, existing.source == .user { throw .alreadyTracked(existing) }
    let token = TrackedToken(
      chain: chain, address: address, symbol: symbol ?? found.symbol, decimals: found.decimals, source: .user,
      addedAt: Date(millisecondsSince1970: Date().millisecondsSince1970))
    do { try tokens.save(token) } catch { throw .storage("\(error)") }
    return token
  }

  /// The configured list and the user's additions.
  public func trackedTokenList(chain: ChainName?) throws -> [TrackedToken] {
    let listed = listedTokens.values.flatMap { $0 }
      .filter { chain == nil || $0.chain == chain }
      .map {
        TrackedToken(
          chain: $0.chain, address: $0.address, symbol: $0.symbol, decimals: $0.decimals, source: .list,
          addedAt: Date(timeIntervalSince1970: 0))
      }
      .sorted { ($0.chain, $0.symbol) < ($1.chain, $1.symbol) }
    return listed + (try tokens.tokens(chain: chain, source: .user))
  }

  public func removeToken(chain: ChainName, address: String) throws -> Bool {
    try tokens.removeUserToken(chain: chain, address: address)
  }
}
