import DevChain
import PortfolioCore
import Testing

/// Chainlink AggregatorV3 feeds on devchain's EVM, read with `eth_call` through HTTP on loopback.
@Suite struct DevChainPriceFeedTests {
  static let ethUSD = "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"
  static let latestRoundData: [UInt8] = [0xfe, 0xaf, 0x96, 0x8c]
  static let decimals: [UInt8] = [0x31, 0x3c, 0xe5, 0x67]
  static let description: [UInt8] = [0x72, 0x84, 0xe4, 0x16]

  func withClient(_ body: (DevChainHTTPTestClient) async throws -> Void) async throws {
    try await withDevChain { devchain, http in
      try await body(DevChainHTTPTestClient(devchain: devchain, http: http))
    }
  }

  @Test func latestRoundDataAnswersUSDTimesTenToTheDecimals() async throws {
    try await withClient { client in
      let set = try await client.control(
        "price",
        #"{"chain":"ethereum","feed":"\#(Self.ethUSD)","usd":"3000.5","decimals":8,"updated_at":1764750000,"#
          + #""description":"ETH / USD"}"#)
      #expect(set.status == 200)
      #expect(set.json?["answer"]?.stringValue == "300050000000")
      #expect(set.json?["round_id"] == .integer(1))

      // 3000.5 × 10^8 = 300050000000 = 0x45dc5fa880; 1764750000 = 0x692ff2b0.
      let data = try await client.ethCall(to: Self.ethUSD, data: Self.latestRoundData)
      #expect(
        abiWords(data) == [word("1"), word("45dc5fa880"), word("692ff2b0"), word("692ff2b0"), word("1")])

      #expect(abiWords(try await client.ethCall(to: Self.ethUSD, data: Self.decimals)) == [word("8")])
      let description = try await client.ethCall(to: Self.ethUSD, data: Self.description)
      #expect(ERC20Calls.decodeSymbol(description) == "ETH / USD")

      // Each update is a new round.
      try await client.setPrice(#"{"feed":"\#(Self.ethUSD)","usd":"1.0001","updated_at":1764750060}"#)
      let next = try await client.ethCall(to: Self.ethUSD, data: Self.latestRoundData)
      // 1.0001 × 10^8 = 100010000 = 0x5f60810; 1764750060 = 0x692ff2ec.
      #expect(abiWords(next) == [word("2"), word("5f60810"), word("692ff2ec"), word("692ff2ec"), word("2")])
    }
  }

  @Test func zeroAndNegativeAnswersAreServedAsInt256() async throws {
    try await withClient { client in
      try await client.setPrice(
        #"{"feed":"\#(Self.ethUSD)","usd":"-1","decimals":8,"updated_at":1764750000}"#)
      // -1 × 10^8 = -100000000; two's complement: 2^256 - 0x5f5e100.
      let negative = try await client.ethCall(to: Self.ethUSD, data: Self.latestRoundData)
      #expect(abiWords(negative)[1] == "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffa0a1f00")

      try await client.setPrice(#"{"feed":"\#(Self.ethUSD)","usd":"-0.00000005","decimals":8}"#)
      let small = try await client.ethCall(to: Self.ethUSD, data: Self.latestRoundData)
      #expect(abiWords(small)[1] == "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffb")

      try await client.setPrice(#"{"feed":"\#(Self.ethUSD)","usd":"0","decimals":8}"#)
      let zero = try await client.ethCall(to: Self.ethUSD, data: Self.latestRoundData)
      #expect(abiWords(zero)[1] == word("0"))
      #expect(abiWords(zero)[0] == word("3"))
    }
  }

  @Test func feedsAnswerInsideAggregate3NextToTokens() async throws {
    try await withClient { client in
      let usdcFeed = "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6"
      try await client.setPrice(#"{"feed":"\#(Self.ethUSD)","usd":"3000.5","updated_at":1764750000}"#)
      try await client.setPrice(#"{"feed":"\#(usdcFeed)","usd":"-1","decimals":6,"updated_at":1764750000}"#)
      let token = try client.devchain.chain.createToken(
        chain: "ethereum", address: nil, symbol: "T", decimals: 6)
      try client.devchain.chain.setBalance(
        chain: "ethereum", address: evmAddress(1), token: token, amount: "42")

      let calls = [
        Multicall3.Call3(
          target: try EVMAddress(parsing: Self.ethUSD), allowFailure: true, callData: Self.latestRoundData),
        Multicall3.Call3(
          target: try EVMAddress(parsing: Self.ethUSD), allowFailure: true, callData: Self.decimals),
        Multicall3.Call3(
          target: try EVMAddress(parsing: usdcFeed), allowFailure: true, callData: Self.latestRoundData),
        Multicall3.Call3(
          target: try EVMAddress(parsing: usdcFeed), allowFailure: true, callData: Self.decimals),
        Multicall3.Call3(
          target: try EVMAddress(parsing: token), allowFailure: true,
          callData: ERC20Calls.balanceOf(try EVMAddress(parsing: evmAddress(1)))),
        // A feed has no balanceOf: that call fails alone.
        Multicall3.Call3(
          target: try EVMAddress(parsing: Self.ethUSD), allowFailure: true,
          callData: ERC20Calls.balanceOf(try EVMAddress(parsing: evmAddress(1)))),
      ]
      let data = try await client.ethCall(
        to: Multicall3.address.checksummed, data: Multicall3.aggregate3(calls))
      let results = try Multicall3.decodeAggregate3Result(data)
      try #require(results.count == 6)
      #expect(results.prefix(5).allSatisfy { $0.success })
      #expect(!results[5].success)
      #expect(
        abiWords(results[0].returnData)
          == [word("1"), word("45dc5fa880"), word("692ff2b0"), word("692ff2b0"), word("1")])
      #expect(abiWords(results[1].returnData) == [word("8")])
      // -1 × 10^6 = -1000000 = -0xf4240; two's complement ends in ...fff0bdc0.
      #expect(
        abiWords(results[2].returnData)[1]
          == "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0bdc0")
      #expect(abiWords(results[3].returnData) == [word("6")])
      #expect(abiWords(results[4].returnData) == [word("2a")])
    }
  }

  @Test func aFeedHasCodeUntilItIsRemoved() async throws {
    try await withClient { client in
      let before = try await client.ethereum("eth_getCode", #"["\#(Self.ethUSD)","latest"]"#)
      #expect(before["result"] == "0x")
      try await client.setPrice(#"{"feed":"\#(Self.ethUSD)","usd":"3000.5"}"#)
      let code = try await client.ethereum("eth_getCode", #"["\#(Self.ethUSD)","latest"]"#)
      #expect(code["result"]?.stringValue.map { $0.count > 2 } == true)

      try await client.setPrice(#"{"feed":"\#(Self.ethUSD)","usd":null}"#)
      let after = try await client.ethereum("eth_getCode", #"["\#(Self.ethUSD)","latest"]"#)
      #expect(after["result"] == "0x")
      // No code: the call succeeds with no data, as on a real chain.
      #expect(try await client.ethCall(to: Self.ethUSD, data: Self.latestRoundData).isEmpty)
    }
  }

  @Test func badFeedsAreRefusedWithAMessage() async throws {
    try await withClient { client in
      let token = try client.devchain.chain.createToken(
        chain: "ethereum", address: nil, symbol: "T", decimals: 6)
      let refused = [
        // More digits after the point than the feed's decimals cannot be answered exactly.
        #"{"feed":"\#(Self.ethUSD)","usd":"3000.123456789","decimals":8}"#,
        #"{"feed":"\#(Self.ethUSD)","usd":"1.5","decimals":0}"#,
        #"{"feed":"\#(Self.ethUSD)","usd":"abc"}"#,
        #"{"feed":"\#(Self.ethUSD)","usd":"1","decimals":300}"#,
        #"{"feed":"\#(Self.ethUSD)","usd":"1","chain":"solana"}"#,
        #"{"feed":"0x5F4EC3Df9cbd43714FE2740f5E3616155c5b8419","usd":"1"}"#,
        #"{"feed":"\#(token)","usd":"1"}"#,
        #"{"feed":"\#(Self.ethUSD)"}"#,
      ]
      for body in refused {
        let answer = try await client.control("price", body)
        #expect(answer.status == 400, "\(body) answered \(answer.status)")
        #expect(answer.json?["error"]?.stringValue?.isEmpty == false, "\(body): \(answer.text)")
      }
      #expect(try await client.ethCall(to: Self.ethUSD, data: Self.latestRoundData).isEmpty)
    }
  }
}
