import Foundation
import PortfolioCore
import Testing

@testable import PortfolioConfig

@Suite struct PriceConfigTests {
  @Test func defaultsPriceEveryPresetChain() throws {
    let config = try ConfigLoader.load(environment: [:])
    #expect(config.prices.refreshInterval == 60)
    #expect(config.prices.maxAge == 10800)
    #expect(config.prices.pushThresholdPercent == 0.5)
    #expect(config.prices.pushThresholdPartsPerMillion == 5000)
    #expect(config.prices.sources == [.coingecko, .chainlink, .fixed])
    #expect(config.prices.fixed.isEmpty)
    #expect(config.coinGecko.apiURL == "https://api.coingecko.com/api/v3")
    #expect(config.coinGecko.apiKey == nil)
    #expect(config.coinGecko.keyHeader == nil)
    #expect(config.coinGecko.requestsPerMinute == 10)
    #expect(config.coinGecko.maxURLLength == 2000)
    #expect(config.coinGecko.timeout == 10)
    let ids = config.chains.mapValues { "\($0.coinID ?? "-") \($0.pricePlatform ?? "-")" }
    #expect(
      ids == [
        "ethereum": "ethereum ethereum", "solana": "solana solana",
        "polygon": "polygon-ecosystem-token polygon-pos", "arbitrum": "ethereum arbitrum-one",
        "optimism": "ethereum optimistic-ethereum", "base": "ethereum base",
        "bsc": "binancecoin binance-smart-chain",
      ])
  }

  /// The shipped feeds are Chainlink's Ethereum mainnet addresses, spelled with a valid
  /// EIP-55 checksum (a mixed-case typo would not have parsed).
  @Test func shippedEthereumFeedsAreChainlinksWithHeartbeats() throws {
    let config = try ConfigLoader.load(environment: [:])
    let feeds = try #require(config.chains["ethereum"]?.priceFeeds)
    let byAsset = Dictionary(uniqueKeysWithValues: feeds.map { ($0.asset.token ?? "ETH", $0) })
    let expected: [(String, String, Double)] = [
      ("ETH", "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419", 3600),
      ("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419", 3600),
      ("0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6", 86400),
      ("0xdAC17F958D2ee523a2206206994597C13D831ec7", "0x3E7d1eAB13ad0104d2750B8863b489D65364e32D", 86400),
      ("0x6B175474E89094C44Da98b954EedeAC495271d0F", "0xAed0c38402a5d19df6E4c03F4E2DceD6e29c1ee9", 86400),
    ]
    #expect(feeds.count == expected.count)
    for (asset, feed, heartbeat) in expected {
      #expect(byAsset[asset]?.address.checksummed == feed, "\(asset)")
      #expect(byAsset[asset]?.maxAge == heartbeat, "\(asset)")
      #expect(try EVMAddress(parsing: feed).checksummed == feed)
    }
    #expect(feeds.first?.asset == AssetKey(chain: "ethereum", token: nil))
    #expect(config.chains["base"]?.priceFeeds.isEmpty == true)
  }

  @Test func environmentFormsOfFixedPricesAndFeeds() throws {
    let config = try ConfigLoader.load(environment: [
      "PRICES_FIXED": "ethereum:0xdac17f958d2ee523a2206206994597c13d831ec7=1.00, solana:native=150,"
        + "solana:EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v=0.9999",
      "BASE_PRICE_FEEDS": "eth=0x71041dddad3595F9CEd3DcCFBe3D1F4b0a16Bb70@1200,"
        + "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913=0x7e860098F58bBFC8648a4311b374B1D669a2bc6B",
      "PRICES_REFRESH_INTERVAL": "0.25",
      "PRICES_MAX_AGE": "600",
      "PRICES_PUSH_THRESHOLD": "1.25",
      "PRICES_SOURCES": "chainlink, fixed",
    ])
    #expect(
      config.prices.fixed == [
        AssetKey(chain: "ethereum", token: "0xdAC17F958D2ee523a2206206994597C13D831ec7"): try #require(
          USDPrice(text: "1")),
        AssetKey(chain: "solana", token: nil): try #require(USDPrice(text: "150")),
        AssetKey(chain: "solana", token: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"): try #require(
          USDPrice(text: "0.9999")),
      ])
    let feeds = try #require(config.chains["base"]?.priceFeeds)
    #expect(feeds.count == 2)
    #expect(feeds[0].asset == AssetKey(chain: "base", token: nil))
    #expect(feeds[0].address.checksummed == "0x71041dddad3595F9CEd3DcCFBe3D1F4b0a16Bb70")
    #expect(feeds[0].maxAge == 1200)
    #expect(feeds[1].asset.token == "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913")
    #expect(feeds[1].maxAge == nil)
    #expect(config.prices.refreshInterval == 0.25)
    #expect(config.prices.maxAge == 600)
    #expect(config.prices.pushThresholdPartsPerMillion == 12500)
    #expect(config.prices.sources == [.chainlink, .fixed])
    #expect(try ConfigLoader.load(environment: ["PRICES_SOURCES": "none"]).prices.sources.isEmpty)
    #expect(
      try ConfigLoader.load(environment: ["ETHEREUM_PRICE_FEEDS": ""]).chains["ethereum"]?.priceFeeds == [])
  }

  @Test func aFileWritesMapsAsMappingsAndReplacesTheDefaultFeeds() throws {
    let file = try ConfigLoaderTests.temporaryFile(
      """
      prices:
        fixed:
          "ethereum:native": 3000.5
          bsc:0x55d398326f99059fF775485246999027B3197955: "1"
      chains:
        ethereum:
          price_feeds:
            ETH: "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419@7200"
        gnosis:
          family: evm
          chain_id: 100
          rpc_url: https://rpc.gnosischain.com
          native_symbol: XDAI
          native_decimals: 18
          poll_interval: 5
          coin_id: xdai
          price_platform: xdai
          price_feeds: {XDAI: "0x678df3415fc31947dA4324eC63212874be5a82f8"}
      """)
    let config = try ConfigLoader.load(file: file, environment: [:])
    #expect(config.prices.fixed[AssetKey(chain: "ethereum", token: nil)]?.text == "3000.5")
    #expect(
      config.prices.fixed[AssetKey(chain: "bsc", token: "0x55d398326f99059fF775485246999027B3197955")]?.text
        == "1")
    let ethereum = try #require(config.chains["ethereum"]?.priceFeeds)
    #expect(ethereum.count == 1)
    #expect(ethereum.first?.maxAge == 7200)
    let gnosis = try #require(config.chains["gnosis"])
    #expect(gnosis.coinID == "xdai")
    #expect(gnosis.priceFeeds.map(\.asset) == [AssetKey(chain: "gnosis", token: nil)])
  }

  @Test func oneEntryCanBeSetAlone() throws {
    let config = try ConfigLoader.load(
      environment: [:],
      overrides: [
        "chains.ethereum.price_feeds.ETH": "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419@60",
        "prices.fixed.solana:native": "149.5",
      ])
    let feeds = try #require(config.chains["ethereum"]?.priceFeeds)
    #expect(feeds.count == 5)
    #expect(feeds.first { $0.asset.isNative }?.maxAge == 60)
    #expect(config.prices.fixed[AssetKey(chain: "solana", token: nil)]?.text == "149.5")
  }

  @Test func aProPlanUsesTheProRootUnlessOneIsSet() throws {
    let pro = try ConfigLoader.load(environment: ["COINGECKO_API_PLAN": "pro", "COINGECKO_API_KEY": "CG-k"])
    #expect(pro.coinGecko.apiURL == "https://pro-api.coingecko.com/api/v3")
    #expect(pro.coinGecko.keyHeader?.name == "x-cg-pro-api-key")
    #expect(pro.coinGecko.keyHeader?.value == "CG-k")
    let own = try ConfigLoader.load(environment: [
      "COINGECKO_API_PLAN": "pro", "COINGECKO_API_URL": "http://127.0.0.1:9/coingecko/api/v3/",
    ])
    #expect(own.coinGecko.apiURL == "http://127.0.0.1:9/coingecko/api/v3")
    let demo = try ConfigLoader.load(environment: ["COINGECKO_API_KEY": "CG-d"])
    #expect(demo.coinGecko.keyHeader?.name == "x-cg-demo-api-key")
  }

  @Test func aFixedPriceForADisabledChainIsIgnored() throws {
    let config = try ConfigLoader.load(environment: [
      "BSC_ENABLED": "false", "PRICES_FIXED": "bsc:native=600",
    ])
    #expect(config.prices.fixed.isEmpty)
  }

  @Test(arguments: [
    (["PRICES_REFRESH_INTERVAL": "0"], "prices.refresh_interval"),
    (["PRICES_REFRESH_INTERVAL": "soon"], "prices.refresh_interval"),
    (["PRICES_MAX_AGE": "-1"], "prices.max_age"),
    (["PRICES_PUSH_THRESHOLD": "101"], "prices.push_threshold"),
    (["PRICES_SOURCES": "coingecko,oracle"], "prices.sources"),
    (["PRICES_SOURCES": "fixed,fixed"], "prices.sources"),
    (["PRICES_FIXED": "ethereum=1"], "prices.fixed"),
    (["PRICES_FIXED": "mars:native=1"], "prices.fixed"),
    (["PRICES_FIXED": "solana:native=0"], "prices.fixed"),
    (["PRICES_FIXED": "solana:native=-3"], "prices.fixed"),
    (["PRICES_FIXED": "solana:native=1e"], "prices.fixed"),
    (["PRICES_FIXED": "ethereum:0xdAC17F958D2ee523a2206206994597C13D831ec8=1"], "prices.fixed"),
    (["PRICES_FIXED": "solana:0OIl=1"], "prices.fixed"),
    (["PRICES_FIXED": "solana:native=1,solana:NATIVE=2"], "prices.fixed"),
    (["PRICES_FIXED": "solana:native"], "prices.fixed"),
    (
      ["ETHEREUM_PRICE_FEEDS": "ETH=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8418"],
      "chains.ethereum.price_feeds"
    ),
    (
      ["ETHEREUM_PRICE_FEEDS": "BTC=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"],
      "chains.ethereum.price_feeds"
    ),
    (
      ["ETHEREUM_PRICE_FEEDS": "ETH=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419@0"],
      "chains.ethereum.price_feeds"
    ),
    (
      ["ETHEREUM_PRICE_FEEDS": "ETH=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419@x"],
      "chains.ethereum.price_feeds"
    ),
    (
      ["ETHEREUM_PRICE_FEEDS": "0x123=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"],
      "chains.ethereum.price_feeds"
    ),
    (
      [
        "ETHEREUM_PRICE_FEEDS":
          "ETH=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419,native=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"
      ],
      "chains.ethereum.price_feeds"
    ),
    (["SOLANA_PRICE_FEEDS": "SOL=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"], "chains.solana.price_feeds"),
    (["POLYGON_COIN_ID": "Matic Network"], "chains.polygon.coin_id"),
    (["BASE_PRICE_PLATFORM": "base/../x"], "chains.base.price_platform"),
    (["COINGECKO_API_URL": "ftp://prices"], "coingecko.api_url"),
    (["COINGECKO_API_PLAN": "free"], "coingecko.api_plan"),
    (["COINGECKO_API_KEY": "two words"], "coingecko.api_key"),
    (["COINGECKO_MAX_URL_LENGTH": "10"], "coingecko.max_url_length"),
    (["COINGECKO_REQUESTS_PER_MINUTE": "-1"], "coingecko.requests_per_minute"),
    (["COINGECKO_TIMEOUT": "0"], "coingecko.timeout"),
  ])
  func aBadPriceValueNamesItsKey(environment: [String: String], key: String) {
    #expect {
      try ConfigLoader.load(environment: environment)
    } throws: { error in
      (error as? ConfigError)?.key == key && "\(error)".contains(key)
    }
  }

  @Test func aBadEntrySetAloneNamesItsOwnKey() {
    #expect {
      try ConfigLoader.load(environment: [:], overrides: ["chains.ethereum.price_feeds.ETH": "0x1"])
    } throws: { error in
      (error as? ConfigError)?.key == "chains.ethereum.price_feeds.ETH"
    }
    #expect {
      try ConfigLoader.load(environment: [:], overrides: ["chains.mars.price_feeds.ETH": "0x1"])
    } throws: { error in
      (error as? ConfigError)?.key == "chains.mars.price_feeds.ETH"
    }
  }

  @Test func aFeedMapWithANonTextValueIsRefusedNamingTheKey() throws {
    let file = try ConfigLoaderTests.temporaryFile(
      "chains:\n  ethereum:\n    price_feeds:\n      ETH: [0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419]\n")
    #expect {
      try ConfigLoader.load(file: file, environment: [:])
    } throws: { error in
      (error as? ConfigError)?.key == "chains.ethereum.price_feeds"
    }
  }

  @Test func theAPIKeyIsRedactedForPrinting() throws {
    let values = try ConfigLoader.values(environment: ["COINGECKO_API_KEY": "CG-secret"])
    #expect(values["coingecko.api_key"] == "CG-secret")
    let shown = ConfigLoader.redacted(values)
    #expect(shown["coingecko.api_key"] == "***")
    #expect(shown["server.port"] == "8080")
    #expect(ConfigLoader.redacted(try ConfigLoader.values(environment: [:]))["coingecko.api_key"] == "")
  }

  @Test func priceKeysHaveTheirEnvironmentNames() {
    #expect(ConfigSources.environmentName(for: "prices.refresh_interval") == "PRICES_REFRESH_INTERVAL")
    #expect(ConfigSources.environmentName(for: "coingecko.api_key") == "COINGECKO_API_KEY")
    #expect(ConfigSources.environmentName(for: "chains.ethereum.price_feeds") == "ETHEREUM_PRICE_FEEDS")
    #expect(ConfigSources.environmentName(for: "chains.polygon.coin_id") == "POLYGON_COIN_ID")
  }
}
