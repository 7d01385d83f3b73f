import ChainClients
import DevChain
import Foundation
import PortfolioConfig
import PortfolioCore
import Pricing
import Testing

/// Chainlink feeds read on devchain's EVM, with the feeds Ethereum's configuration ships.
@Suite struct ChainlinkSourceTests {
  static let usdc = AssetKey(chain: "ethereum", token: usdcAddress)
  static let usdt = AssetKey(chain: "ethereum", token: usdtAddress)
  static let weth = AssetKey(chain: "ethereum", token: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")

  @Test func freshFeedsArePricedExactlyWithTheirOwnTime() async throws {
    try await withDevChain { devchain, http in
      let updated = unixSeconds(ago: 60)
      try devchain.chain.setPriceFeed(
        chain: "ethereum", address: ethUSDFeed, usd: "3000.12345678", decimals: 8, updatedAt: updated)
      try devchain.chain.setPriceFeed(
        chain: "ethereum", address: usdcUSDFeed, usd: "1.0001", decimals: 8, updatedAt: unixSeconds(ago: 7200)
      )
      let config = try priceConfig(devchain)
      let source = ChainlinkSource(config: config, readers: ["ethereum": ethereumReader(devchain, http)])
      devchain.chain.resetStats()
      let report = try await source.report(for: [
        ethereumNative, Self.weth, Self.usdc, AssetKey(chain: "base", token: nil),
      ])
      let quotes = Dictionary(uniqueKeysWithValues: report.quotes.map { ($0.asset, $0) })
      #expect(quotes[ethereumNative]?.price.text == "3000.12345678")
      #expect(quotes[ethereumNative]?.at == Date(timeIntervalSince1970: TimeInterval(updated)))
      #expect(quotes[ethereumNative]?.source == .chainlink)
      // WETH shares the ETH/USD feed, read once.
      #expect(quotes[Self.weth]?.price == quotes[ethereumNative]?.price)
      // Two hours old is within the stablecoin feed's 24 h heartbeat.
      #expect(quotes[Self.usdc]?.price.text == "1.0001")
      #expect(quotes.count == 3)
      #expect(report.problems.isEmpty)
      #expect(report.httpRequests == 1)
      #expect(devchain.chain.stats["ethereum"]?.httpRequests == 1)
    }
  }

  @Test func aStaleAnswerIsNotUsed() async throws {
    try await withDevChain { devchain, http in
      // ETH/USD's max age is its 1 h heartbeat; USDC/USD's is 24 h.
      try devchain.chain.setPriceFeed(
        chain: "ethereum", address: ethUSDFeed, usd: "3000", decimals: 8, updatedAt: unixSeconds(ago: 3700))
      try devchain.chain.setPriceFeed(
        chain: "ethereum", address: usdcUSDFeed, usd: "1", decimals: 8, updatedAt: unixSeconds(ago: 86500))
      let config = try priceConfig(devchain)
      let source = ChainlinkSource(config: config, readers: ["ethereum": ethereumReader(devchain, http)])
      let report = try await source.report(for: [ethereumNative, Self.usdc])
      #expect(report.quotes.isEmpty)
      #expect(report.problems.count == 2)
      #expect(report.problems.allSatisfy { $0.contains("stale") })

      // Without a feed's own max age, prices.max_age decides.
      let lenient = try priceConfig(
        devchain, ["ETHEREUM_PRICE_FEEDS": "ETH=\(ethUSDFeed)", "PRICES_MAX_AGE": "4000"])
      let withDefault = ChainlinkSource(
        config: lenient, readers: ["ethereum": ethereumReader(devchain, http)])
      #expect(try await withDefault.quotes(for: [ethereumNative]).first?.price.text == "3000")
    }
  }

  @Test(arguments: ["0", "-1", "-0.00000001"])
  func aNonPositiveAnswerIsRefused(usd: String) async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setPriceFeed(chain: "ethereum", address: ethUSDFeed, usd: usd, decimals: 8)
      try devchain.chain.setPriceFeed(chain: "ethereum", address: usdcUSDFeed, usd: "0.9998", decimals: 8)
      let config = try priceConfig(devchain)
      let source = ChainlinkSource(config: config, readers: ["ethereum": ethereumReader(devchain, http)])
      let report = try await source.report(for: [ethereumNative, Self.usdc])
      #expect(report.quotes.map(\.asset) == [Self.usdc])
      #expect(report.problems.count == 1)
      #expect(report.problems.first?.contains("not a price") == true)
    }
  }

  @Test func aFeedWithoutContractIsAProblemNotAFailure() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setPriceFeed(chain: "ethereum", address: ethUSDFeed, usd: "3000", decimals: 8)
      let config = try priceConfig(devchain)
      let source = ChainlinkSource(config: config, readers: ["ethereum": ethereumReader(devchain, http)])
      let report = try await source.report(for: [ethereumNative, Self.usdt])
      #expect(report.quotes.map(\.asset) == [ethereumNative])
      #expect(report.problems.first?.contains("did not answer") == true)
    }
  }

  @Test func aChainThatFailsFailsTheSource() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setPriceFeed(chain: "ethereum", address: ethUSDFeed, usd: "3000", decimals: 8)
      try devchain.chain.setFault(chain: "ethereum", DevChainFault(kind: .serverError))
      let config = try priceConfig(devchain)
      let source = ChainlinkSource(config: config, readers: ["ethereum": ethereumReader(devchain, http)])
      await #expect {
        try await source.report(for: [ethereumNative])
      } throws: { error in
        (error as? PriceSourceError)?.kind == .chain && "\(error)".contains("ethereum")
      }
    }
  }

  @Test func assetsWithoutAFeedOrReaderCostNothing() async throws {
    try await withDevChain { devchain, http in
      let config = try priceConfig(devchain, ["BASE_PRICE_FEEDS": "ETH=\(ethUSDFeed)"])
      // No reader for base: its feed is not read.
      let source = ChainlinkSource(config: config, readers: ["ethereum": ethereumReader(devchain, http)])
      let report = try await source.report(for: [
        AssetKey(chain: "base", token: nil), AssetKey(chain: "solana", token: nil),
      ])
      #expect(report.quotes.isEmpty && report.httpRequests == 0)
      #expect(devchain.chain.stats["ethereum"]?.httpRequests == 0)
      #expect(source.pricedAssets.contains(AssetKey(chain: "base", token: nil)))
    }
  }
}
