import Foundation
import PortfolioConfig
import PortfolioCore

/// Which CoinGecko requests price a set of assets, and how each answer maps back to them.
struct CoinGeckoPlan: Sendable {
  /// What CoinGecko knows a chain by.
  struct Listing: Sendable {
    let family: ChainFamily
    let coinID: String?
    let platform: String?
  }

  private(set) var requests: [CoinGeckoRequest] = []
  /// Assets by coin id: chains may share one (ETH on ethereum, arbitrum, base, ...).
  private var coins: [String: [AssetKey]] = [:]
  /// Per platform, assets by the address as sent (lower case on EVM platforms).
  private var tokens: [String: [String: [AssetKey]]] = [:]
  /// Platforms whose answers may change the case of the addresses (EVM).
  private var caseInsensitivePlatforms: Set<String> = []

  init(assets: [AssetKey], chains: [ChainName: Listing], base: String, maxURLLength: Int) {
    for asset in assets {
      guard let listing = chains[asset.chain] else { continue }
      guard let token = asset.token else {
        if let coinID = listing.coinID { coins[coinID, default: []].append(asset) }
        continue
      }
      // Only address characters go into the URL: anything else cannot be a token.
      guard let platform = listing.platform, !token.isEmpty,
        token.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.alphanumerics.contains($0) })
      else { continue }
      let sent = listing.family == .evm ? token.lowercased() : token
      if listing.family == .evm { caseInsensitivePlatforms.insert(platform) }
      tokens[platform, default: [:]][sent, default: []].append(asset)
    }
    requests = CoinGeckoRequest.coins(coins.keys.sorted(), base: base, maxURLLength: maxURLLength)
    for (platform, byAddress) in tokens.sorted(by: { $0.key < $1.key }) {
      requests += CoinGeckoRequest.tokens(
        byAddress.keys.sorted(), platform: platform, base: base, maxURLLength: maxURLLength)
    }
  }

  /// The quotes one request's answer gives; an item the answer leaves out or prices at
  /// nothing gives none.
  func quotes(for request: CoinGeckoRequest, answer: CoinGeckoAnswer, fetchedAt: Date) -> [PriceQuote] {
    var quotes: [PriceQuote] = []
    for item in request.items {
      let assets: [AssetKey]
      let entry: CoinGeckoAnswer.Entry?
      switch request.target {
      case .coins:
        assets = coins[item] ?? []
        entry = answer.entry(for: item, ignoringCase: false)
      case .tokens(let platform):
        assets = tokens[platform]?[item] ?? []
        entry = answer.entry(for: item, ignoringCase: caseInsensitivePlatforms.contains(platform))
      }
      guard let entry, let price = entry.price else { continue }
      for asset in assets {
        quotes.append(
          PriceQuote(asset: asset, price: price, source: .coingecko, at: entry.updatedAt ?? fetchedAt))
      }
    }
    return quotes
  }
}
