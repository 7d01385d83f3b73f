import ChainClients
import CurlHTTP
import DevChain
import Foundation
import PortfolioConfig
import PortfolioCore
import Pricing
import Testing

/// CoinGecko through real HTTP to devchain's CoinGecko-compatible API.
@Suite struct CoinGeckoSourceTests {
  @Test func nativeCoinsAndTokensComeInOneRequestPerKind() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setCoinPrice(
        coin: "ethereum", usd: "3000.123456789012345678", updatedAt: 1_764_750_000)
      try devchain.chain.setCoinPrice(coin: "solana", usd: "150")
      try devchain.chain.setTokenPrice(platform: "ethereum", contract: usdtAddress, usd: "1.0001")
      try devchain.chain.setTokenPrice(platform: "solana", contract: usdcMint, usd: "0.9999")
      let config = try priceConfig(devchain)
      let source = CoinGeckoSource(
        api: config.coinGecko, chains: config.chains, http: http, tuning: quickTuning())
      let assets = [
        ethereumNative, AssetKey(chain: "arbitrum", token: nil), AssetKey(chain: "base", token: nil),
        AssetKey(chain: "solana", token: nil), AssetKey(chain: "bsc", token: nil),
        AssetKey(chain: "ethereum", token: usdtAddress), AssetKey(chain: "ethereum", token: usdcAddress),
        AssetKey(chain: "solana", token: usdcMint),
        // A mint is case-sensitive: another case is another (unknown) mint.
        AssetKey(chain: "solana", token: usdcMint.lowercased()),
      ]
      let before = Date()
      let report = try await source.report(for: assets)
      let quotes = Dictionary(uniqueKeysWithValues: report.quotes.map { ($0.asset, $0) })
      #expect(quotes[ethereumNative]?.price.text == "3000.123456789012345678")
      #expect(quotes[ethereumNative]?.at == Date(timeIntervalSince1970: 1_764_750_000))
      #expect(quotes[AssetKey(chain: "base", token: nil)]?.price == quotes[ethereumNative]?.price)
      #expect(quotes[AssetKey(chain: "arbitrum", token: nil)] != nil)
      #expect(quotes[AssetKey(chain: "solana", token: nil)]?.price.text == "150")
      // Devchain answers EVM addresses in lower case; the asset keeps its EIP-55 form.
      #expect(quotes[AssetKey(chain: "ethereum", token: usdtAddress)]?.price.text == "1.0001")
      #expect(quotes[AssetKey(chain: "solana", token: usdcMint)]?.price.text == "0.9999")
      #expect(
        quotes[AssetKey(chain: "solana", token: usdcMint)].map { $0.at >= before.addingTimeInterval(-2) }
          == true)
      #expect(quotes.count == 6)
      #expect(quotes.values.allSatisfy { $0.source == .coingecko })
      // One simple/price for every coin id (ethereum once for three chains), one token request
      // per platform.
      #expect(report.httpRequests == 3)
      #expect(devchain.chain.coinGeckoStats.httpRequests == 3)
      #expect(devchain.chain.coinGeckoStats.calls == ["simple/price": 1, "simple/token_price": 2])
      #expect(report.problems.isEmpty)
    }
  }

  @Test func manyTokensAreSplitByURLLengthAndAllAnswered() async throws {
    try await withDevChain { devchain, http in
      let tokens = (0..<300).map(tokenAddress)
      for (index, token) in tokens.enumerated() {
        try devchain.chain.setTokenPrice(platform: "ethereum", contract: token, usd: "\(index + 1).25")
      }
      let config = try priceConfig(devchain, ["COINGECKO_MAX_URL_LENGTH": "1000"])
      let source = CoinGeckoSource(
        api: config.coinGecko, chains: config.chains, http: http, tuning: quickTuning())
      let report = try await source.report(for: tokens.map { AssetKey(chain: "ethereum", token: $0) })
      #expect(report.quotes.count == 300)
      let byToken = Dictionary(
        uniqueKeysWithValues: report.quotes.map { ($0.asset.token ?? "", $0.price.text) })
      #expect(byToken[tokens[0]] == "1.25")
      #expect(byToken[tokens[299]] == "300.25")
      // 43 bytes an address: about twenty a 1,000-byte URL.
      let stats = devchain.chain.coinGeckoStats
      #expect(stats.httpRequests > 10 && stats.httpRequests < 20, "requests: \(stats.httpRequests)")
      #expect(report.httpRequests == stats.httpRequests)
      #expect(stats.assetsAsked == 300)
    }
  }

  @Test func aKeyGoesInThePlansHeader() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setCoinPrice(coin: "ethereum", usd: "3000")
      devchain.chain.setCoinGeckoKeyCheck(CoinGeckoKeyCheck(key: "CG-demo", plan: .demo))
      let keyless = try priceConfig(devchain)
      let refused = CoinGeckoSource(
        api: keyless.coinGecko, chains: keyless.chains, http: http, tuning: quickTuning())
      await #expect {
        try await refused.report(for: [ethereumNative])
      } throws: { error in
        // 401 is not retried: a missing key stays missing.
        (error as? PriceSourceError)?.kind == .httpStatus(401)
          && (error as? PriceSourceError)?.httpRequests == 1
      }
      let demo = try priceConfig(devchain, ["COINGECKO_API_KEY": "CG-demo"])
      let keyed = CoinGeckoSource(api: demo.coinGecko, chains: demo.chains, http: http, tuning: quickTuning())
      #expect(try await keyed.quotes(for: [ethereumNative]).count == 1)

      devchain.chain.setCoinGeckoKeyCheck(CoinGeckoKeyCheck(key: "CG-pro", plan: .pro))
      let pro = try priceConfig(devchain, ["COINGECKO_API_KEY": "CG-pro", "COINGECKO_API_PLAN": "pro"])
      let proSource = CoinGeckoSource(
        api: pro.coinGecko, chains: pro.chains, http: http, tuning: quickTuning())
      #expect(try await proSource.quotes(for: [ethereumNative]).count == 1)
    }
  }

  @Test func aRateLimitIsWaitedOutAsRetryAfterAsks() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setCoinPrice(coin: "ethereum", usd: "3000")
      try devchain.chain.setFault(chain: "coingecko", DevChainFault(kind: .tooManyRequests, remaining: 1))
      let config = try priceConfig(devchain)
      let source = CoinGeckoSource(
        api: config.coinGecko, chains: config.chains, http: http, tuning: quickTuning())
      let started = ContinuousClock.now
      let report = try await source.report(for: [ethereumNative])
      #expect(report.quotes.count == 1)
      #expect(report.httpRequests == 2)
      // Devchain's 429 says Retry-After: 1.
      #expect(ContinuousClock.now - started >= .seconds(1))
      #expect(source.stats.rateLimited == 1)
      #expect(source.stats.retries == 1)
    }
  }

  @Test func aFailedRequestCostsOnlyItsOwnAssets() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setCoinPrice(coin: "ethereum", usd: "3000")
      try devchain.chain.setTokenPrice(platform: "ethereum", contract: usdtAddress, usd: "1")
      try devchain.chain.setTokenPrice(platform: "solana", contract: usdcMint, usd: "1")
      // The first request (coins) gets a 500 and is not retried; the tokens' requests answer.
      try devchain.chain.setFault(chain: "coingecko", DevChainFault(kind: .serverError, remaining: 1))
      let config = try priceConfig(devchain)
      var tuning = quickTuning(attempts: 1)
      tuning.concurrency = 1
      let source = CoinGeckoSource(api: config.coinGecko, chains: config.chains, http: http, tuning: tuning)
      let report = try await source.report(for: [
        ethereumNative, AssetKey(chain: "ethereum", token: usdtAddress),
        AssetKey(chain: "solana", token: usdcMint),
      ])
      #expect(Set(report.quotes.map(\.asset.token)) == [usdtAddress, usdcMint])
      #expect(report.problems.count == 1)
      #expect(report.problems.first?.contains("HTTP 500") == true)
      #expect(report.httpRequests == 3)
    }
  }

  /// A source whose breaker opened: two failed attempts at an API answering 500.
  static func tripped(_ devchain: DevChainServer, _ http: HTTPClient, coolDown: Duration) async throws
    -> CoinGeckoSource
  {
    try devchain.chain.setCoinPrice(coin: "ethereum", usd: "3000")
    try devchain.chain.setFault(chain: "coingecko", DevChainFault(kind: .serverError))
    let config = try priceConfig(devchain)
    let source = CoinGeckoSource(
      api: config.coinGecko, chains: config.chains, http: http,
      tuning: quickTuning(attempts: 2, breakerThreshold: 2, coolDown: coolDown))
    await #expect(throws: PriceSourceError.self) { try await source.report(for: [ethereumNative]) }
    return source
  }

  @Test func aFailingAPIIsSidelined() async throws {
    try await withDevChain { devchain, http in
      // A cool-down no loaded machine outlasts within the test.
      let source = try await Self.tripped(devchain, http, coolDown: .seconds(120))
      #expect(source.stats.requests == 2)
      #expect(source.stats.breakerOpen)
      // Sidelined: refused at once, nothing sent.
      try devchain.chain.setFault(chain: "coingecko", DevChainFault(kind: .none))
      await #expect {
        try await source.report(for: [ethereumNative])
      } throws: { error in
        (error as? PriceSourceError)?.kind == .unavailable && (error as? PriceSourceError)?.httpRequests == 0
      }
      #expect(source.stats.requests == 2)
    }
  }

  @Test func aSidelinedAPIIsProbedAgainAfterItsCoolDown() async throws {
    try await withDevChain { devchain, http in
      let source = try await Self.tripped(devchain, http, coolDown: .milliseconds(300))
      try devchain.chain.setFault(chain: "coingecko", DevChainFault(kind: .none))
      // Asked until the cool-down has passed; a deadline, so a loaded machine only takes longer.
      let deadline = ContinuousClock.now + .seconds(20)
      var answered = (try? await source.quotes(for: [ethereumNative]))?.count ?? 0
      while answered == 0, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(100))
        answered = (try? await source.quotes(for: [ethereumNative]))?.count ?? 0
      }
      #expect(answered == 1)
      #expect(!source.stats.breakerOpen)
    }
  }

  @Test func aSlowAPITimesOut() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setCoinPrice(coin: "ethereum", usd: "3000")
      try devchain.chain.setFault(chain: "coingecko", DevChainFault(kind: .latency, milliseconds: 3000))
      let config = try priceConfig(devchain, ["COINGECKO_TIMEOUT": "0.3"])
      let source = CoinGeckoSource(
        api: config.coinGecko, chains: config.chains, http: http, tuning: quickTuning(attempts: 1))
      await #expect {
        try await source.report(for: [ethereumNative])
      } throws: { error in
        (error as? PriceSourceError)?.kind == .timeout
      }
    }
  }

  @Test func assetsItDoesNotListCostNoRequest() async throws {
    try await withDevChain { devchain, http in
      let config = try priceConfig(devchain, ["BASE_PRICE_PLATFORM": "", "BASE_COIN_ID": ""])
      let source = CoinGeckoSource(
        api: config.coinGecko, chains: config.chains, http: http, tuning: quickTuning())
      let report = try await source.report(for: [
        AssetKey(chain: "base", token: nil), AssetKey(chain: "base", token: usdcAddress),
        AssetKey(chain: "nowhere", token: nil),
      ])
      #expect(report.quotes.isEmpty)
      #expect(report.httpRequests == 0)
      #expect(devchain.chain.coinGeckoStats.httpRequests == 0)
    }
  }
}
