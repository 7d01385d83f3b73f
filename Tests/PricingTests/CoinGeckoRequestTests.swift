import Foundation
import PortfolioConfig
import PortfolioCore
import Testing

@testable import Pricing

@Suite struct CoinGeckoRequestTests {
  static let base = "http://127.0.0.1:1/coingecko/api/v3"

  @Test func tokensAreSplitSoNoURLIsLongerThanTheLimit() {
    let addresses = (0..<500).map { "0x" + String(format: "%040x", $0 + 1) }
    let requests = CoinGeckoRequest.tokens(
      addresses, platform: "ethereum", base: Self.base, maxURLLength: 2000)
    #expect(requests.count > 1)
    #expect(requests.allSatisfy { $0.url.utf8.count <= 2000 })
    #expect(requests.flatMap(\.items) == addresses)
    // Full: one more address would not have fitted.
    for request in requests.dropLast() {
      #expect(request.url.utf8.count + 43 > 2000)
    }
    let first = requests[0].url
    #expect(
      first.hasPrefix(
        Self.base
          + "/simple/token_price/ethereum?contract_addresses=0x0000000000000000000000000000000000000001,"))
    #expect(first.hasSuffix("&vs_currencies=usd&include_last_updated_at=true"))
  }

  @Test func coinsShareOneRequestWhileTheyFit() {
    let requests = CoinGeckoRequest.coins(
      ["binancecoin", "ethereum", "solana"], base: Self.base, maxURLLength: 2000)
    #expect(
      requests.map(\.url) == [
        Self.base
          + "/simple/price?ids=binancecoin,ethereum,solana&vs_currencies=usd&include_last_updated_at=true"
      ])
  }

  @Test func anItemLongerThanTheRoomGoesAlone() {
    #expect(
      CoinGeckoRequest.chunks(["abc", "toolongforit", "de", "f"], room: 6) == [
        ["abc"], ["toolongforit"], ["de", "f"],
      ])
    #expect(CoinGeckoRequest.chunks([], room: 6).isEmpty)
  }

  @Test func answersKeepEveryDigitOfThePrice() throws {
    let body = #"""
      {"ethereum":{"usd":3000.123456789012345678,"last_updated_at":1700000000},
       "tiny":{"usd":1.234e-05},"zero":{"usd":0},"negative":{"usd":-2},"text":{"usd":"3"},
       "none":{},"odd":[1,2],"nulled":{"usd":null}}
      """#
    let answer = try #require(CoinGeckoAnswer(json: Array(body.utf8)))
    let ethereum = try #require(answer.entry(for: "ethereum", ignoringCase: false))
    #expect(ethereum.price?.text == "3000.123456789012345678")
    #expect(ethereum.updatedAt == Date(timeIntervalSince1970: 1_700_000_000))
    #expect(answer.entry(for: "tiny", ignoringCase: false)?.price?.text == "0.00001234")
    #expect(answer.entry(for: "tiny", ignoringCase: false)?.updatedAt == nil)
    for refused in ["zero", "negative", "text", "none", "odd", "nulled"] {
      #expect(answer.entry(for: refused, ignoringCase: false)?.price == nil, "\(refused)")
    }
    #expect(CoinGeckoAnswer(json: Array("[1]".utf8)) == nil)
    #expect(CoinGeckoAnswer(json: Array("{\"a\":".utf8)) == nil)
  }

  @Test func evmKeysMatchInAnyCaseAndSolanaMintsOnlyExactly() throws {
    let body =
      #"{"0xdac17f958d2ee523a2206206994597c13d831ec7":{"usd":1.0001},"So11111111111111111111111111111111111111112":{"usd":150}}"#
    let answer = try #require(CoinGeckoAnswer(json: Array(body.utf8)))
    #expect(
      answer.entry(for: "0xdAC17F958D2ee523a2206206994597C13D831ec7", ignoringCase: true)?.price?.text
        == "1.0001")
    #expect(answer.entry(for: "0xdAC17F958D2ee523a2206206994597C13D831ec7", ignoringCase: false) == nil)
    #expect(answer.entry(for: "So11111111111111111111111111111111111111112", ignoringCase: false) != nil)
    #expect(answer.entry(for: "so11111111111111111111111111111111111111112", ignoringCase: false) == nil)
  }

  @Test func aPlanAsksOnceForASharedCoinAndMapsTheAnswerBack() throws {
    let config = try ConfigLoader.load(environment: [:])
    let listings = config.chains.mapValues {
      CoinGeckoPlan.Listing(family: $0.chain.family, coinID: $0.coinID, platform: $0.pricePlatform)
    }
    let usdt = "0xdAC17F958D2ee523a2206206994597C13D831ec7"
    let mint = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
    let assets = [
      AssetKey(chain: "ethereum", token: nil), AssetKey(chain: "arbitrum", token: nil),
      AssetKey(chain: "base", token: nil), AssetKey(chain: "solana", token: nil),
      AssetKey(chain: "ethereum", token: usdt), AssetKey(chain: "solana", token: mint),
      AssetKey(chain: "ethereum", token: "0x12&ids=x"), AssetKey(chain: "unknown", token: nil),
    ]
    let plan = CoinGeckoPlan(assets: assets, chains: listings, base: Self.base, maxURLLength: 2000)
    #expect(plan.requests.map(\.items) == [["ethereum", "solana"], [usdt.lowercased()], [mint]])
    let coins = try #require(
      CoinGeckoAnswer(
        json: Array(#"{"ethereum":{"usd":3000.5,"last_updated_at":1700000000},"solana":{"usd":150}}"#.utf8)))
    let fetched = Date(timeIntervalSince1970: 1_700_000_100)
    let quotes = plan.quotes(for: plan.requests[0], answer: coins, fetchedAt: fetched)
    #expect(
      Set(quotes.map(\.asset)) == [
        AssetKey(chain: "ethereum", token: nil), AssetKey(chain: "arbitrum", token: nil),
        AssetKey(chain: "base", token: nil), AssetKey(chain: "solana", token: nil),
      ])
    #expect(quotes.first { $0.asset.chain == "base" }?.price.text == "3000.5")
    #expect(quotes.first { $0.asset.chain == "base" }?.at == Date(timeIntervalSince1970: 1_700_000_000))
    #expect(quotes.first { $0.asset.chain == "solana" }?.at == fetched)
    #expect(quotes.allSatisfy { $0.source == .coingecko })
  }
}
