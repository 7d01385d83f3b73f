import Foundation
public import PortfolioCore
import Yams

/// One token of the configured list.
public struct ListedToken: Sendable, Hashable {
  public let chain: ChainName
  /// EIP-55 form.
  public let address: String
  public let symbol: String
  public let decimals: UInt8
}

/// Reads `config/tokens.yaml`: per chain, a list of `{address, symbol, decimals}`.
public enum TokenList {
  private struct Entry: Decodable {
    let address: String
    let symbol: String
    let decimals: Int
  }

  /// Tokens of the enabled EVM chains; a list for a disabled or unknown chain is ignored.
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
      guard let settings = chains[chain], settings.chain.family == .evm else { continue }
      for entry in entries {
        let address: EVMAddress
        do {
          address = try EVMAddress(parsing: entry.address)
        } catch {
          throw ConfigError(
            key: key, message: "\(path): \(chain) token \(entry.symbol): \(error.description)")
        }
        guard let decimals = UInt8(exactly: entry.decimals), decimals <= 77 else {
          throw ConfigError(
            key: key, message: "\(path): \(chain) token \(entry.symbol): decimals must be 0 to 77")
        }
        tokens.append(
          ListedToken(chain: chain, address: address.checksummed, symbol: entry.symbol, decimals: decimals))
      }
    }
    return tokens
  }
}
