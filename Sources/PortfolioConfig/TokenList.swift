import Foundation
public import PortfolioCore
import Yams

/// One token of the configured list.
public struct ListedToken: Sendable, Hashable {
  public let chain: ChainName
  /// EIP-55 form on EVM chains, base58 on Solana.
  public let address: String
  public let symbol: String
  public let decimals: UInt8
}

/// Reads `config/tokens.yaml`: per chain, a list of `{address, symbol, decimals}`. On EVM chains
/// each listed token is read for every wallet; on Solana, where a wallet's tokens are found on
/// chain, the list names the mints it knows.
public enum TokenList {
  private struct Entry: Decodable {
    let address: String
    let symbol: String
    let decimals: Int
  }

  /// Tokens of the enabled chains; a list for a disabled or unknown chain is ignored.
  public static func load(path: String, chains: [ChainName: AppConfig.ChainSettings]) throws(ConfigError)
    -> [ListedToken]
  {
    let key = "tokens.list_file"
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError(key: key, message: "cannot read \(path): \(error.localizedDescription)")
    }
    let lists: [String: [Entry]]
    do {
      lists = try YAMLDecoder().decode([String: [Entry]].self, from: text)
    } catch {
      throw ConfigError(
        key: key, message: "\(path) is not a list of {address, symbol, decimals} per chain: \(error)")
    }
    var tokens: [ListedToken] = []
    for (name, entries) in lists.sorted(by: { $0.key < $1.key }) {
      let chain = ChainName(rawValue: name)
      guard let settings = chains[chain] else { continue }
      for entry in entries {
        let address: String
        do {
          switch settings.chain.family {
          case .evm: address = try EVMAddress(parsing: entry.address).checksummed
          case .solana: address = try SolanaAddress(parsing: entry.address).base58
          }
        } catch {
          throw ConfigError(
            key: key, message: "\(path): \(chain) token \(entry.symbol): \(error.description)")
        }
        guard let decimals = UInt8(exactly: entry.decimals), decimals <= 77 else {
          throw ConfigError(
            key: key, message: "\(path): \(chain) token \(entry.symbol): decimals must be 0 to 77")
        }
        tokens.append(
          ListedToken(chain: chain, address: address, symbol: entry.symbol, decimals: decimals))
      }
    }
    return tokens
  }
}
