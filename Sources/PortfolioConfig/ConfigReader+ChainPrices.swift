import Foundation
import PortfolioCore

/// A chain's price keys: `coin_id`, `price_platform` and `price_feeds`.
extension ConfigReader {
  struct ChainPrices {
    var coinID: String?
    var platform: String?
    var feeds: [AppConfig.PriceFeed]
  }

  func chainPrices(for chain: Chain, nativeSymbol: String) throws(ConfigError) -> ChainPrices {
    let prefix = "chains.\(chain.name)"
    return ChainPrices(
      coinID: try apiIdentifier("\(prefix).coin_id"),
      platform: try apiIdentifier("\(prefix).price_platform"),
      feeds: try priceFeeds(for: chain, nativeSymbol: nativeSymbol))
  }

  /// A CoinGecko id as it goes into a URL: lower case letters, digits, `-`, `_` and `.`.
  private func apiIdentifier(_ key: String) throws(ConfigError) -> String? {
    guard let text = optionalText(key) else { return nil }
    guard text.unicodeScalars.allSatisfy({ $0.isASCII && (Self.identifierCharacters.contains($0)) }) else {
      throw ConfigError(
        key: key, message: "must be lower case letters, digits, -, _ and . (a CoinGecko id), got \"\(text)\"")
    }
    return text
  }

  private static let identifierCharacters = CharacterSet.lowercaseLetters.union(.decimalDigits)
    .union(CharacterSet(charactersIn: "-_."))

  /// `price_feeds`: `ETH=0xFeed` (the native symbol, or `native`) and `0xToken=0xFeed`, each
  /// feed optionally `@seconds`, its own max age.
  private func priceFeeds(for chain: Chain, nativeSymbol: String) throws(ConfigError)
    -> [AppConfig.PriceFeed]
  {
    let key = "chains.\(chain.name).price_feeds"
    let entries = try entries(key)
    guard chain.family == .evm || entries.isEmpty else {
      throw ConfigError(key: key, message: "Chainlink feeds are read on EVM chains only")
    }
    var feeds: [AppConfig.PriceFeed] = []
    for entry in entries {
      let token: String?
      if entry.name.caseInsensitiveCompare(nativeSymbol) == .orderedSame
        || entry.name.lowercased() == "native"
      {
        token = nil
      } else if entry.name.hasPrefix("0x") || entry.name.hasPrefix("0X") {
        do {
          token = try EVMAddress(parsing: entry.name).checksummed
        } catch {
          throw ConfigError(key: entry.key, message: "token \"\(entry.name)\": \(error.description)")
        }
      } else {
        throw ConfigError(
          key: entry.key,
          message: "\"\(entry.name)\" is neither the native symbol \(nativeSymbol) nor a token address")
      }
      let feed = try feedAddress(entry.value, key: entry.key)
      let asset = AssetKey(chain: chain.name, token: token)
      guard !feeds.contains(where: { $0.asset == asset }) else {
        throw ConfigError(key: entry.key, message: "\(asset) has two feeds")
      }
      feeds.append(AppConfig.PriceFeed(asset: asset, address: feed.address, maxAge: feed.maxAge))
    }
    return feeds.sorted { $0.asset < $1.asset }
  }

  /// `0xFeed` or `0xFeed@seconds`.
  private func feedAddress(_ text: String, key: String) throws(ConfigError) -> (
    address: EVMAddress, maxAge: Double?
  ) {
    let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
    let address: EVMAddress
    do {
      address = try EVMAddress(parsing: String(parts[0]))
    } catch {
      throw ConfigError(key: key, message: "feed \"\(parts[0])\": \(error.description)")
    }
    guard parts.count == 2 else { return (address, nil) }
    guard let seconds = Double(parts[1]), seconds.isFinite, seconds > 0 else {
      throw ConfigError(
        key: key, message: "the max age after @ must be seconds above 0, got \"\(parts[1])\" in \"\(text)\"")
    }
    return (address, seconds)
  }
}
