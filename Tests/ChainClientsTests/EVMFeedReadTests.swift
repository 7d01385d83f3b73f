import BigInt
import ChainClients
import DevChain
import PortfolioCore
import Testing

/// `readFeeds` against devchain's Chainlink feeds over loopback HTTP.
@Suite struct EVMFeedReadTests {
  static let ethUSD = "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"
  static let usdcUSD = "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6"

  @Test(arguments: [true, false])
  func readsEveryFeedInOneRequest(useMulticall: Bool) async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setPriceFeed(
        chain: "ethereum", address: Self.ethUSD, usd: "3000.5", decimals: 8, updatedAt: 1_764_750_000)
      try devchain.chain.setPriceFeed(chain: "ethereum", address: Self.usdcUSD, usd: "-1", decimals: 8)
      devchain.chain.configureMulticall(enabled: useMulticall)
      let nothingThere = try EVMAddress(parsing: evmAddress(7))
      let eth = try EVMAddress(parsing: Self.ethUSD)
      let usdc = try EVMAddress(parsing: Self.usdcUSD)
      devchain.chain.resetStats()
      let reader = EVMBalanceReader(
        rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http, settings: quickSettings())
      )
      let reading = try await reader.readFeeds([eth, usdc, nothingThere, eth], useMulticall: useMulticall)

      let answer = try #require(reading.answers[eth])
      #expect(answer.answer == BigInt(300_050_000_000))
      #expect(answer.decimals == 8)
      #expect(answer.updatedAt == 1_764_750_000)
      #expect(answer.roundID == 1)
      #expect(answer.answeredInRound == 1)
      #expect(reading.answers[usdc]?.answer == BigInt(-100_000_000))
      #expect(reading.unreadable == [nothingThere])
      #expect(reading.httpRequests == 1)
      #expect(devchain.chain.stats["ethereum"]?.httpRequests == 1)
      // Six calls say nothing about how large an aggregate3 the node takes: balance reads keep
      // their chunk size.
      #expect(reader.currentChunkSize == EVMBalanceReader.Settings().callsPerMulticall)
    }
  }

  @Test func noFeedsCostNoRequest() async throws {
    try await withDevChain { devchain, http in
      let reader = EVMBalanceReader(
        rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http))
      let reading = try await reader.readFeeds([])
      #expect(reading.answers.isEmpty && reading.httpRequests == 0)
      #expect(devchain.chain.stats["ethereum"]?.httpRequests == 0)
    }
  }
}
