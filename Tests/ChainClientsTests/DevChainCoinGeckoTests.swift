import CurlHTTP
import DevChain
import PortfolioCore
import Testing

/// Devchain's CoinGecko-compatible API, through HTTP on loopback.
@Suite struct DevChainCoinGeckoTests {
  static let usdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
  static let usdcMint = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"

  func withClient(_ body: (DevChainHTTPTestClient) async throws -> Void) async throws {
    try await withDevChain { devchain, http in
      try await body(DevChainHTTPTestClient(devchain: devchain, http: http))
    }
  }

  @Test func simplePriceAnswersTheExactTextSetAndLeavesUnknownIdsOut() async throws {
    try await withClient { client in
      try await client.setPrice(#"{"coin":"ethereum","usd":"3000.5","updated_at":1764750000}"#)
      try await client.setPrice(#"{"coin":"pepe","usd":"0.00001234","updated_at":1764750060}"#)
      // A JSON number is accepted too, and written back as the same number.
      try await client.setPrice(#"{"coin":"solana","usd":187.25,"updated_at":1764750000}"#)

      let answer = try await client.get(
        "/coingecko/api/v3/simple/price?ids=ethereum,pepe,solana,no-such-coin&vs_currencies=usd"
          + "&include_last_updated_at=true")
      #expect(answer.status == 200)
      #expect(answer.headers["content-type"] == "application/json")
      #expect(
        answer.text
          == #"{"ethereum":{"usd":3000.5,"last_updated_at":1764750000},"pepe":{"usd":0.00001234,"#
          + #""last_updated_at":1764750060},"solana":{"usd":187.25,"last_updated_at":1764750000}}"#)

      let withoutTime = try await client.get(
        "/coingecko/api/v3/simple/price?ids=pepe,Ethereum&vs_currencies=usd,eur")
      #expect(withoutTime.text == #"{"pepe":{"usd":0.00001234},"ethereum":{"usd":3000.5}}"#)

      let nothingKnown = try await client.get(
        "/coingecko/api/v3/simple/price?ids=no-such-coin&vs_currencies=usd")
      #expect(nothingKnown.status == 200)
      #expect(nothingKnown.text == "{}")
    }
  }

  @Test func tokenPriceKeysAreLowerCaseForEVMAndAsSetForMints() async throws {
    try await withClient { client in
      try await client.setPrice(
        #"{"platform":"ethereum","contract":"\#(Self.usdc)","usd":"1.0001","updated_at":1764750000}"#)
      try await client.setPrice(
        #"{"platform":"solana","contract":"\#(Self.usdcMint)","usd":"0.9999","updated_at":1764750000}"#)

      for asked in [Self.usdc, Self.usdc.lowercased(), "0X" + Self.usdc.dropFirst(2).uppercased()] {
        let answer = try await client.get(
          "/coingecko/api/v3/simple/token_price/ethereum?contract_addresses=\(asked),"
            + "0x0000000000000000000000000000000000000001&vs_currencies=usd&include_last_updated_at=true")
        #expect(answer.status == 200)
        #expect(
          answer.text
            == #"{"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48":{"usd":1.0001,"last_updated_at":1764750000}}"#)
      }

      let mint = try await client.get(
        "/coingecko/api/v3/simple/token_price/solana?contract_addresses=\(Self.usdcMint)&vs_currencies=usd")
      #expect(mint.text == #"{"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v":{"usd":0.9999}}"#)
      // Base58 is case-sensitive: another case is another mint.
      let otherCase = try await client.get(
        "/coingecko/api/v3/simple/token_price/solana?contract_addresses=\(Self.usdcMint.lowercased())"
          + "&vs_currencies=usd")
      #expect(otherCase.text == "{}")
      // Prices belong to their platform.
      let otherPlatform = try await client.get(
        "/coingecko/api/v3/simple/token_price/polygon-pos?contract_addresses=\(Self.usdc)&vs_currencies=usd")
      #expect(otherPlatform.text == "{}")

      try await client.setPrice(
        #"{"platform":"ethereum","contract":"\#(Self.usdc.lowercased())","usd":null}"#)
      let removed = try await client.get(
        "/coingecko/api/v3/simple/token_price/ethereum?contract_addresses=\(Self.usdc)&vs_currencies=usd")
      #expect(removed.text == "{}")
    }
  }

  @Test func requestsWithoutUSDOrWithoutAssetsAre400() async throws {
    try await withClient { client in
      try await client.setPrice(#"{"coin":"ethereum","usd":"3000.5"}"#)
      for path in [
        "simple/price?ids=ethereum&vs_currencies=eur", "simple/price?ids=ethereum",
        "simple/price?vs_currencies=usd", "simple/token_price/ethereum?vs_currencies=usd",
      ] {
        let answer = try await client.get("/coingecko/api/v3/" + path)
        #expect(answer.status == 400, "\(path)")
        #expect(answer.json?["error"]?.stringValue?.isEmpty == false, "\(path): \(answer.text)")
      }
      #expect(try await client.get("/coingecko/api/v3/coins/list").status == 404)
    }
  }

  @Test func theKeyCheckTakesCoinGeckosQueryArgument() async throws {
    try await withClient { client in
      try await client.setPrice(#"{"coin":"ethereum","usd":"3000.5"}"#)
      let path = "/coingecko/api/v3/simple/price?ids=ethereum&vs_currencies=usd"
      #expect(try await client.get(path).status == 200)

      let configured = try await client.control("coingecko", #"{"api_key":"K-demo","plan":"demo"}"#)
      #expect(configured.status == 200)
      let missing = try await client.get(path)
      #expect(missing.status == 401)
      #expect(missing.json?["status"]?["error_code"] == .integer(10002))
      let wrong = try await client.get(path + "&x_cg_demo_api_key=nope")
      #expect(wrong.status == 401)
      #expect(wrong.json?["status"]?["error_code"] == .integer(10010))
      #expect(try await client.get(path + "&x_cg_pro_api_key=K-demo").status == 401)
      let right = try await client.get(path + "&x_cg_demo_api_key=K-demo")
      #expect(right.status == 200)
      #expect(right.text == #"{"ethereum":{"usd":3000.5}}"#)

      try await client.control("coingecko", #"{"api_key":"K-pro","plan":"pro"}"#)
      #expect(try await client.get(path + "&x_cg_demo_api_key=K-pro").status == 401)
      #expect(try await client.get(path + "&x_cg_pro_api_key=K-pro").status == 200)

      try await client.control("coingecko", #"{"api_key":null}"#)
      #expect(try await client.get(path).status == 200)
      #expect(try await client.control("coingecko", #"{"api_key":"K","plan":"enterprise"}"#).status == 400)
      #expect(try await client.control("coingecko", #"{"plan":"pro"}"#).status == 400)
    }
  }

  @Test func theKeyCheckAsksForThePlansHeader() async throws {
    try await withClient { client in
      try await client.setPrice(#"{"coin":"ethereum","usd":"3000.5"}"#)
      let path = "/coingecko/api/v3/simple/price?ids=ethereum&vs_currencies=usd"
      try await client.control("coingecko", #"{"api_key":"K-demo","plan":"demo"}"#)
      #expect(try await client.get(path).status == 401)
      let wrong = try await client.get(path, headers: [("x-cg-demo-api-key", "nope")])
      #expect(wrong.status == 401)
      #expect(wrong.json?["status"]?["error_code"] == .integer(10010))
      #expect(try await client.get(path, headers: [("x-cg-pro-api-key", "K-demo")]).status == 401)
      let right = try await client.get(path, headers: [("x-cg-demo-api-key", "K-demo")])
      #expect(right.status == 200)
      #expect(right.text == #"{"ethereum":{"usd":3000.5}}"#)
      // Header names are case-insensitive.
      #expect(try await client.get(path, headers: [("X-Cg-Demo-Api-Key", "K-demo")]).status == 200)

      try await client.control("coingecko", #"{"api_key":"K-pro","plan":"pro"}"#)
      #expect(try await client.get(path, headers: [("x-cg-demo-api-key", "K-pro")]).status == 401)
      #expect(try await client.get(path, headers: [("x-cg-pro-api-key", "K-pro")]).status == 200)
    }
  }

  @Test func statsCountRequestsAndAssetsAskedUntilReset() async throws {
    try await withClient { client in
      try await client.setPrice(#"{"coin":"ethereum","usd":"3000.5"}"#)
      _ = try await client.get("/coingecko/api/v3/simple/price?ids=ethereum,solana,bitcoin&vs_currencies=usd")
      _ = try await client.get(
        "/coingecko/api/v3/simple/token_price/ethereum?contract_addresses=\(Self.usdc)&vs_currencies=usd")
      let stats = try await client.stats()
      #expect(stats["coingecko"]?["http_requests"] == .integer(2))
      #expect(stats["coingecko"]?["assets_asked"] == .integer(4))
      #expect(stats["coingecko"]?["calls"]?["simple/price"] == .integer(1))
      #expect(stats["coingecko"]?["calls"]?["simple/token_price"] == .integer(1))
      #expect(stats["ethereum"]?["http_requests"] == .integer(0))

      #expect(try await client.control("reset-stats", "{}").status == 200)
      let reset = try await client.stats()
      #expect(reset["coingecko"]?["http_requests"] == .integer(0))
      #expect(reset["coingecko"]?["assets_asked"] == .integer(0))
    }
  }

  @Test func faultsTargetTheAPIAloneAndAnswerInCoinGeckosStyle() async throws {
    try await withClient { client in
      try await client.setPrice(#"{"coin":"ethereum","usd":"3000.5"}"#)
      let path = "/coingecko/api/v3/simple/price?ids=ethereum&vs_currencies=usd"
      #expect(
        try await client.control("fault", #"{"chain":"coingecko","kind":"429","count":1}"#).status == 200)
      // The chains are untouched.
      let block = try await client.ethereum("eth_blockNumber", "[]")
      #expect(block["result"]?.stringValue?.hasPrefix("0x") == true)

      let limited = try await client.get(path)
      #expect(limited.status == 429)
      #expect(limited.headers["retry-after"] == "1")
      #expect(limited.json?["status"]?["error_code"] == .integer(429))
      #expect(limited.json?["status"]?["error_message"]?.stringValue?.isEmpty == false)
      #expect(try await client.get(path).status == 200)

      try await client.control("fault", #"{"chain":"coingecko","kind":"500","count":1}"#)
      #expect(try await client.get(path).status == 500)
      try await client.control("fault", #"{"chain":"coingecko","kind":"malformed","count":1}"#)
      let malformed = try await client.get(path)
      #expect(malformed.status == 200 && malformed.json == nil)
      // libcurl retries a request once when a reused connection dies before answering, so two
      // drops make sure the client sees one.
      try await client.control("fault", #"{"chain":"coingecko","kind":"drop","count":2}"#)
      await #expect(throws: HTTPClientError.self) { try await client.get(path) }
      try await client.control("fault", #"{"chain":"coingecko","kind":"none"}"#)
      #expect(try await client.get(path).text == #"{"ethereum":{"usd":3000.5}}"#)

      // Requests answered by a fault are not counted, as for the chains.
      let stats = try await client.stats()
      #expect(stats["coingecko"]?["http_requests"] == .integer(2))
      #expect(try await client.control("fault", #"{"chain":"bitcoin","kind":"500"}"#).status == 400)
    }
  }

  @Test func badPricesAreRefusedWithAMessage() async throws {
    try await withClient { client in
      let refused = [
        #"{"coin":"ethereum","usd":"0"}"#,
        #"{"coin":"ethereum","usd":"-1"}"#,
        #"{"coin":"ethereum","usd":"3,000.50"}"#,
        #"{"coin":"ethereum","usd":".5"}"#,
        #"{"coin":"ethereum","usd":"01.5"}"#,
        #"{"coin":"ethereum","usd":true}"#,
        #"{"coin":"ethereum"}"#,
        #"{"coin":"ethereum","usd":"1","updated_at":-5}"#,
        #"{"coin":"ethereum","platform":"ethereum","usd":"1"}"#,
        #"{"usd":"1"}"#,
        #"{"platform":"ethereum","contract":"0x1234","usd":"1"}"#,
        #"{"platform":"ethereum","usd":"1"}"#,
      ]
      for body in refused {
        let answer = try await client.control("price", body)
        #expect(answer.status == 400, "\(body) answered \(answer.status)")
        #expect(answer.json?["error"]?.stringValue?.isEmpty == false, "\(body): \(answer.text)")
      }
    }
  }
}
