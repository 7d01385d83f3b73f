import DevChain
import Foundation
import Testing

/// Portfolio totals, wallet history and the portfolio's value series, through real HTTP.
@Suite struct PortfolioAPITests {
  static let second = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

  @Test func totalsAddUpEveryWalletExactly() async throws {
    try await ChainAPITests.withChainServer { server, devchain in
      try devchain.chain.setBalance(
        chain: "ethereum", address: ChainAPITests.wallet, token: nil, amount: "1500000000000000000")
      try devchain.chain.setBalance(
        chain: "ethereum", address: Self.second, token: nil, amount: "340282366920938463463374607431768211455"
      )
      for address in [ChainAPITests.wallet, Self.second] {
        let id = try await ChainAPITests().addWallet(server, chain: "ethereum", address: address)
        _ = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      }
      let portfolio = try await server.request("GET", "/api/v1/portfolio")
      #expect(portfolio.status == 200)
      #expect(portfolio.json["wallets"] as? Int == 2)
      let totals = portfolio.json["totals"] as? [[String: Any]] ?? []
      let eth = try #require(totals.first { $0["asset"] as? String == "ETH" })
      #expect(eth["raw"] as? String == "340282366920938463464874607431768211455")
      #expect(eth["wallets"] as? Int == 2)
      #expect(eth["chain"] as? String == "ethereum")
      #expect((portfolio.json["seq"] as? Int ?? 0) >= 2)
    }
  }

  /// Totals are kept between requests; every write must show in the next answer.
  @Test func totalsFollowEveryWriteBetweenRequests() async throws {
    try await ChainAPITests.withChainServer { server, devchain in
      func ethRaw() async throws -> String? {
        let totals = try await server.request("GET", "/api/v1/portfolio").json["totals"] as? [[String: Any]]
        return totals?.first { $0["asset"] as? String == "ETH" }?["raw"] as? String
      }
      try devchain.chain.setBalance(chain: "ethereum", address: ChainAPITests.wallet, token: nil, amount: "5")
      let id = try await ChainAPITests().addWallet(server, chain: "ethereum", address: ChainAPITests.wallet)
      _ = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      #expect(try await ethRaw() == "5")
      #expect(try await ethRaw() == "5")
      try devchain.chain.setBalance(chain: "ethereum", address: ChainAPITests.wallet, token: nil, amount: "9")
      _ = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      #expect(try await ethRaw() == "9")
      #expect(try await server.request("DELETE", "/api/v1/wallets/\(id)").status == 204)
      let after = try await server.request("GET", "/api/v1/portfolio")
      #expect(after.json["wallets"] as? Int == 0)
      #expect(try await ethRaw() == nil)
    }
  }

  @Test func walletHistoryPagesNewestFirst() async throws {
    try await ChainAPITests.withChainServer { server, devchain in
      let id = try await ChainAPITests().addWallet(server, chain: "ethereum", address: ChainAPITests.wallet)
      for amount in ["1", "2", "3", "4", "5"] {
        try devchain.chain.setBalance(
          chain: "ethereum", address: ChainAPITests.wallet, token: nil, amount: amount)
        _ = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      }
      var seen: [String] = []
      var before: Int? = nil
      repeat {
        let query = before.map { "&before=\($0)" } ?? ""
        let page = try await server.request("GET", "/api/v1/wallets/\(id)/history?limit=2\(query)")
        #expect(page.status == 200)
        seen += (page.json["changes"] as? [[String: Any]] ?? []).compactMap { $0["raw_new"] as? String }
        before = page.json["next_before"] as? Int
      } while before != nil
      #expect(seen == ["5", "4", "3", "2", "1"])
      let bad = try await server.request("GET", "/api/v1/wallets/\(id)/history?limit=0")
      #expect(bad.status == 400)
      #expect(try await server.request("GET", "/api/v1/wallets/\(UUID())/history").status == 404)
    }
  }

  @Test func historyCarriesTheLastBalanceForward() async throws {
    try await ChainAPITests.withChainServer { server, devchain in
      let id = try await ChainAPITests().addWallet(server, chain: "ethereum", address: ChainAPITests.wallet)
      try devchain.chain.setBalance(
        chain: "ethereum", address: ChainAPITests.wallet, token: nil, amount: "10")
      _ = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      try devchain.chain.setBalance(chain: "ethereum", address: ChainAPITests.wallet, token: nil, amount: "7")
      _ = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      let from = Int(Date().timeIntervalSince1970) - 3 * 3600
      let reply = try await server.request("GET", "/api/v1/portfolio/history?from=\(from)&interval=hour")
      #expect(reply.status == 200)
      let series = reply.json["series"] as? [[String: Any]] ?? []
      let eth = try #require(series.first { $0["asset"] as? String == "ETH" })
      let raws = (eth["points"] as? [[String: Any]] ?? []).compactMap { $0["raw"] as? String }
      #expect(raws.count == 4)
      #expect(raws.first == "0")
      #expect(raws.last == "7")

      let reversed = try await server.request(
        "GET", "/api/v1/portfolio/history?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")
      #expect(reversed.status == 400)
      let tooMany = try await server.request("GET", "/api/v1/portfolio/history?from=0&interval=hour")
      #expect(tooMany.status == 400)
      #expect((tooMany.json["detail"] as? String)?.contains("interval=day") == true)
      let tooManyDays = try await server.request("GET", "/api/v1/portfolio/history?from=0&interval=day")
      #expect(tooManyDays.status == 400)
      #expect((tooManyDays.json["detail"] as? String)?.hasSuffix("use a shorter range.") == true)
      #expect(tooManyDays.json["field"] as? String == "from")
      let badInterval = try await server.request("GET", "/api/v1/portfolio/history?interval=minute")
      #expect(badInterval.json["field"] as? String == "interval")
      let badTime = try await server.request("GET", "/api/v1/portfolio/history?from=yesterday")
      #expect(badTime.json["field"] as? String == "from")
    }
  }
}
