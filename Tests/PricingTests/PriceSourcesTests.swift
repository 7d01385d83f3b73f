import ChainClients
import CurlHTTP
import DevChain
import Foundation
import PortfolioConfig
import PortfolioCore
import Pricing
import Testing

/// The configured sources together, in order, through devchain's CoinGecko API and feeds.
@Suite struct PriceSourcesTests {
  static let usdc = AssetKey(chain: "ethereum", token: usdcAddress)
  static let sol = AssetKey(chain: "solana", token: nil)
  static let unknown = AssetKey(chain: "ethereum", token: tokenAddress(99))

  /// CoinGecko knows ETH, the USDC/USD feed prices USDC, a fixed price SOL.
  static func setUp(_ devchain: DevChainServer) throws {
    try devchain.chain.setCoinPrice(coin: "ethereum", usd: "3100")
    try devchain.chain.setPriceFeed(chain: "ethereum", address: ethUSDFeed, usd: "3000", decimals: 8)
    try devchain.chain.setPriceFeed(chain: "ethereum", address: usdcUSDFeed, usd: "1.0001", decimals: 8)
  }

  /// Long enough that no machine, however loaded, sees it run out within a test.
  static let coolDown = Duration.seconds(120)

  static func sources(
    _ devchain: DevChainServer, _ http: HTTPClient, _ environment: [String: String] = [:],
    coolDown: Duration = coolDown
  ) throws -> PriceSources {
    let config = try priceConfig(devchain, ["PRICES_FIXED": "solana:native=150"].merging(environment) { $1 })
    return PriceSources.make(
      config: config, http: http, evmReaders: ["ethereum": ethereumReader(devchain, http)],
      coinGeckoTuning: quickTuning(attempts: 1, breakerThreshold: 1, coolDown: coolDown))
  }

  @Test func eachAssetComesFromTheFirstSourceThatKnowsIt() async throws {
    try await withDevChain { devchain, http in
      try Self.setUp(devchain)
      let sources = try Self.sources(devchain, http)
      #expect(sources.order == [.coingecko, .chainlink, .fixed])
      let round = await sources.quotes(for: [ethereumNative, Self.usdc, Self.sol, Self.unknown])
      #expect(round.quotes[ethereumNative]?.source == .coingecko)
      #expect(round.quotes[ethereumNative]?.price.text == "3100")
      #expect(round.quotes[Self.usdc]?.source == .chainlink)
      #expect(round.quotes[Self.usdc]?.price.text == "1.0001")
      #expect(round.quotes[Self.sol]?.source == .fixed)
      #expect(round.quotes[Self.sol]?.price.text == "150")
      #expect(round.unpriced == [Self.unknown])
      #expect(round.failedSources.isEmpty)
      #expect(round.pricedBySource == [.coingecko: 1, .chainlink: 1, .fixed: 1])
      // CoinGecko: ETH and SOL in one simple/price, both tokens in one token_price; the feeds:
      // only USDC's and the unknown token's are left, in one aggregate3.
      #expect(round.httpRequests == [.coingecko: 2, .chainlink: 1, .fixed: 0])
      #expect(round.totalHTTPRequests == 3)
    }
  }

  @Test func whenTheAPIFailsTheFeedsStandInAndTheAPIIsLeftAlone() async throws {
    try await withDevChain { devchain, http in
      try Self.setUp(devchain)
      let sources = try Self.sources(devchain, http)
      try devchain.chain.setFault(chain: "coingecko", DevChainFault(kind: .serverError))
      let failing = await sources.quotes(for: [ethereumNative, Self.sol])
      #expect(failing.failedSources[.coingecko]?.contains("HTTP 500") == true)
      #expect(failing.quotes[ethereumNative]?.source == .chainlink)
      #expect(failing.quotes[ethereumNative]?.price.text == "3000")
      #expect(failing.quotes[Self.sol]?.source == .fixed)

      // Sidelined: the next round does not even ask.
      try devchain.chain.setFault(chain: "coingecko", DevChainFault(kind: .none))
      let sidelined = await sources.quotes(for: [ethereumNative])
      #expect(sidelined.failedSources[.coingecko] != nil)
      #expect(sidelined.httpRequests[.coingecko] == 0)
      #expect(sidelined.quotes[ethereumNative]?.source == .chainlink)
    }
  }

  @Test func theAPIIsAskedAgainAfterItsCoolDown() async throws {
    try await withDevChain { devchain, http in
      try Self.setUp(devchain)
      let sources = try Self.sources(devchain, http, coolDown: .milliseconds(300))
      try devchain.chain.setFault(chain: "coingecko", DevChainFault(kind: .serverError))
      let failing = await sources.quotes(for: [ethereumNative])
      #expect(failing.quotes[ethereumNative]?.source == .chainlink)
      try devchain.chain.setFault(chain: "coingecko", DevChainFault(kind: .none))
      // Rounds until the cool-down has passed and the probe succeeded; a deadline, not a sleep,
      // so a loaded machine only takes longer.
      let deadline = ContinuousClock.now + .seconds(20)
      var recovered = await sources.quotes(for: [ethereumNative])
      while recovered.quotes[ethereumNative]?.source != .coingecko, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(100))
        recovered = await sources.quotes(for: [ethereumNative])
      }
      #expect(recovered.failedSources.isEmpty)
      #expect(recovered.quotes[ethereumNative]?.source == .coingecko)
    }
  }

  @Test func theConfiguredOrderDecides() async throws {
    try await withDevChain { devchain, http in
      try Self.setUp(devchain)
      // Feeds only: no request to the API at all.
      let feedsOnly = try Self.sources(devchain, http, ["PRICES_SOURCES": "chainlink,fixed"])
      let round = await feedsOnly.quotes(for: [ethereumNative, Self.sol])
      #expect(round.quotes[ethereumNative]?.source == .chainlink)
      #expect(round.quotes[Self.sol]?.source == .fixed)
      #expect(devchain.chain.coinGeckoStats.httpRequests == 0)

      // A fixed price first wins over the market.
      let pinned = try Self.sources(
        devchain, http, ["PRICES_SOURCES": "fixed,coingecko", "PRICES_FIXED": "ethereum:native=2999.99"])
      #expect(await pinned.quotes(for: [ethereumNative]).quotes[ethereumNative]?.price.text == "2999.99")
      #expect(devchain.chain.coinGeckoStats.httpRequests == 0)

      let none = try Self.sources(devchain, http, ["PRICES_SOURCES": "none"])
      #expect(await none.quotes(for: [ethereumNative]).unpriced == [ethereumNative])
    }
  }

  /// The bench's figure: HTTP requests for one refresh of a thousand distinct assets.
  @Test func aThousandAssetsCostAFewDozenRequests() async throws {
    try await withDevChain { devchain, http in
      try Self.setUp(devchain)
      var assets: Set<AssetKey> = [ethereumNative, Self.sol]
      for index in 0..<998 {
        let token = tokenAddress(index)
        assets.insert(AssetKey(chain: "ethereum", token: token))
        if index % 2 == 0 {
          try devchain.chain.setTokenPrice(platform: "ethereum", contract: token, usd: "2")
        }
      }
      let sources = try Self.sources(devchain, http)
      let round = await sources.quotes(for: assets)
      #expect(round.quotes.count == 1 + 1 + 499)
      #expect(round.pricedBySource[.coingecko] == 500)
      #expect(round.pricedBySource[.fixed] == 1)
      let coinGecko = try #require(round.httpRequests[.coingecko])
      #expect(coinGecko == devchain.chain.coinGeckoStats.httpRequests)
      // 998 addresses of 43 bytes in URLs of 2,000: 24 requests, plus one for the coins.
      #expect(coinGecko >= 20 && coinGecko <= 30, "CoinGecko requests: \(coinGecko)")
      #expect(round.httpRequests[.chainlink] == 0)
    }
  }
}

@Suite struct FixedPriceSourceTests {
  @Test func answersOnlyTheAssetsItHas() async throws {
    let stamp = Date(timeIntervalSince1970: 1_764_750_000)
    let config = try ConfigLoader.load(environment: [
      "PRICES_FIXED": "ethereum:0xdac17f958d2ee523a2206206994597c13d831ec7=1.00,solana:native=150"
    ])
    let source = FixedPriceSource(prices: config.prices.fixed, now: { stamp })
    let quotes = try await source.quotes(for: [
      AssetKey(chain: "ethereum", token: usdtAddress), AssetKey(chain: "solana", token: nil), ethereumNative,
    ])
    #expect(quotes.count == 2)
    #expect(quotes.first { $0.asset.token == usdtAddress }?.price.text == "1")
    #expect(quotes.allSatisfy { $0.source == .fixed && $0.at == stamp })
  }
}
