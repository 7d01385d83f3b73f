import DevChain
import Foundation
import GRDB
import Testing

/// Fetch, balances and tokens through the real server reading a real devchain over HTTP.
@Suite struct ChainAPITests {
  static let usdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
  static let wallet = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"
  static let solanaWallet = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"

  /// A server whose ethereum and solana chains are one devchain; the other chains are off.
  static func withChainServer(
    databasePath: String? = nil, settings extra: [String: String] = [:], polls: Bool = false,
    _ body: (TestServer, DevChainServer) async throws -> Void
  ) async throws {
    let devchain = try DevChainServer()
    var settings = [
      "chains.ethereum.rpc_url": devchain.ethereumURL, "chains.solana.rpc_url": devchain.solanaURL,
      "tokens.list_file": TestServer.repositoryRoot.appendingPathComponent("config/tokens.yaml").path,
    ]
    for chain in ["polygon", "arbitrum", "optimism", "base", "bsc"] {
      settings["chains.\(chain).enabled"] = "false"
    }
    settings.merge(extra) { $1 }
    do {
      try await TestServer.with(databasePath: databasePath, settings: settings, polls: polls) { server in
        try await body(server, devchain)
      }
    } catch {
      await devchain.stop()
      throw error
    }
    await devchain.stop()
  }

  func addWallet(_ server: TestServer, chain: String, address: String) async throws -> String {
    let reply = try await server.request(
      "POST", "/api/v1/wallets", json: ["chain": chain, "address": address])
    return try #require(reply.json["id"] as? String)
  }
  /// Adding a wallet reads it at once; waits until that first read is stored.
  func waitForFirstRead(_ server: TestServer, _ id: String) async throws {
    for _ in 0..<200 {
      let stored = try await server.request("GET", "/api/v1/wallets/\(id)/balances")
      if (stored.json["balances"] as? [Any])?.isEmpty == false { return }
      try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("the first read of \(id) never arrived")
  }

  func balances(_ reply: TestServer.Reply) -> [String: [String: Any]] {
    let list = reply.json["balances"] as? [[String: Any]] ?? []
    return Dictionary(uniqueKeysWithValues: list.map { (($0["asset"] as? String) ?? "?", $0) })
  }

  @Test func fetchReadsNativeAndListedTokensAndStoresThem() async throws {
    try await Self.withChainServer { server, devchain in
      _ = try devchain.chain.createToken(chain: "ethereum", address: Self.usdc, symbol: "USDC", decimals: 6)
      try devchain.chain.setBalance(
        chain: "ethereum", address: Self.wallet, token: nil, amount: "1500000000000000001")
      try devchain.chain.setBalance(
        chain: "ethereum", address: Self.wallet, token: Self.usdc, amount: "2500000")
      let id = try await addWallet(server, chain: "ethereum", address: Self.wallet)

      let fetched = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      #expect(fetched.status == 200)
      let byAsset = balances(fetched)
      #expect(byAsset["ETH"]?["raw"] as? String == "1500000000000000001")
      #expect(byAsset["ETH"]?["amount"] as? String == "1.500000000000000001")
      #expect(byAsset["ETH"]?["token"] is NSNull)
      #expect(byAsset["ETH"]?["decimals"] as? Int == 18)
      #expect(byAsset["USDC"]?["amount"] as? String == "2.5")
      #expect(byAsset["USDC"]?["token"] as? String == Self.usdc)
      let head = try devchain.chain.advance(chain: "ethereum", blocks: 0)
      #expect(byAsset["ETH"]?["block"] as? Int == Int(head))
      // Listed tokens the wallet does not hold are not stored.
      #expect(byAsset["DAI"] == nil)

      let stored = try await server.request("GET", "/api/v1/wallets/\(id)/balances")
      #expect(stored.text == fetched.text)
    }
  }

  @Test func everyChangeIsLoggedOnceWithOldAndNewAmounts() async throws {
    try await Self.withChainServer { server, devchain in
      try devchain.chain.setBalance(chain: "ethereum", address: Self.wallet, token: nil, amount: "10")
      let id = try await addWallet(server, chain: "ethereum", address: Self.wallet)
      _ = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      _ = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")  // nothing moved
      try devchain.chain.setBalance(chain: "ethereum", address: Self.wallet, token: nil, amount: "7")
      _ = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      let rows = try await server.server.database.pool.read { db in
        try Row.fetchAll(db, sql: "SELECT raw_old, raw_new FROM changes ORDER BY seq").map {
          "\($0["raw_old"] as String)→\($0["raw_new"] as String)"
        }
      }
      #expect(rows == ["0→10", "10→7"])
    }
  }

  @Test func solanaFetchDiscoversTokenAccountsUnderBothPrograms() async throws {
    try await Self.withChainServer { server, devchain in
      let mint = try devchain.chain.createToken(chain: "solana", address: nil, symbol: "USDC", decimals: 6)
      let mint2022 = try devchain.chain.createToken(
        chain: "solana", address: nil, symbol: "PYUSD", decimals: 6, program: "token-2022")
      try devchain.chain.setBalance(
        chain: "solana", address: Self.solanaWallet, token: nil, amount: "2000000000")
      try devchain.chain.setBalance(
        chain: "solana", address: Self.solanaWallet, token: mint, amount: "1234567")
      try devchain.chain.setBalance(chain: "solana", address: Self.solanaWallet, token: mint2022, amount: "5")
      // Naming a mint gives it a symbol.
      let named = try await server.request(
        "POST", "/api/v1/tokens", json: ["chain": "solana", "address": mint, "symbol": "USDC"])
      #expect(named.status == 201)
      #expect(named.json["decimals"] as? Int == 6)
      let id = try await addWallet(server, chain: "solana", address: Self.solanaWallet)
      let fetched = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      #expect(fetched.status == 200)
      let list = fetched.json["balances"] as? [[String: Any]] ?? []
      let byToken = Dictionary(uniqueKeysWithValues: list.map { (($0["token"] as? String) ?? "native", $0) })
      #expect(byToken["native"]?["amount"] as? String == "2")
      #expect(byToken["native"]?["asset"] as? String == "SOL")
      #expect(byToken[mint]?["asset"] as? String == "USDC")
      #expect(byToken[mint]?["amount"] as? String == "1.234567")
      #expect(byToken[mint2022]?["raw"] as? String == "5")
      #expect(byToken[mint2022]?["decimals"] as? Int == 6)
    }
  }

  @Test func aFailingNodeIsA502Or503NamingTheChain() async throws {
    try await Self.withChainServer { server, devchain in
      let id = try await addWallet(server, chain: "ethereum", address: Self.wallet)
      try await waitForFirstRead(server, id)
      try devchain.chain.setFault(chain: "ethereum", DevChainFault(kind: .serverError))
      let failed = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      #expect(failed.status == 502)
      #expect(failed.headers["content-type"] == "application/problem+json")
      #expect(failed.json["chain"] as? String == "ethereum")
      #expect((failed.json["detail"] as? String)?.contains("HTTP 500") == true)
      // Repeated failures open the breaker: the server stops asking and says so.
      var last = failed
      for _ in 0..<3 { last = try await server.request("POST", "/api/v1/wallets/\(id)/fetch") }
      #expect(last.status == 503)
      #expect((last.json["detail"] as? String)?.contains("circuit breakers are open") == true)
    }
  }

  @Test func garbageFromTheNodeIsA502() async throws {
    try await Self.withChainServer { server, devchain in
      let id = try await addWallet(server, chain: "solana", address: Self.solanaWallet)
      try await waitForFirstRead(server, id)
      try devchain.chain.setFault(chain: "solana", DevChainFault(kind: .malformed))
      let failed = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      #expect(failed.status == 502)
      #expect(failed.json["chain"] as? String == "solana")
    }
  }

  @Test func tokensCanBeAddedListedAndRemoved() async throws {
    try await Self.withChainServer { server, devchain in
      let token = try devchain.chain.createToken(
        chain: "ethereum", address: nil, symbol: "PEPE", decimals: 18)
      let added = try await server.request(
        "POST", "/api/v1/tokens", json: ["chain": "ethereum", "address": token.lowercased()])
      #expect(added.status == 201)
      #expect(added.json["symbol"] as? String == "PEPE")
      #expect(added.json["address"] as? String == token)
      #expect(added.json["source"] as? String == "user")

      let again = try await server.request(
        "POST", "/api/v1/tokens", json: ["chain": "ethereum", "address": token])
      #expect(again.status == 409)
      let listed = try await server.request(
        "POST", "/api/v1/tokens", json: ["chain": "ethereum", "address": Self.usdc])
      #expect(listed.status == 409)
      #expect((listed.json["detail"] as? String)?.contains("built-in token list") == true)
      let notToken = try await server.request(
        "POST", "/api/v1/tokens",
        json: ["chain": "ethereum", "address": "0x000000000000000000000000000000000000dEaD"])
      #expect(notToken.status == 422)
      #expect((notToken.json["detail"] as? String)?.contains("not an ERC-20") == true)
      let badAddress = try await server.request(
        "POST", "/api/v1/tokens", json: ["chain": "ethereum", "address": "0x12"])
      #expect(badAddress.status == 400)
      #expect(badAddress.json["field"] as? String == "address")
      let badChain = try await server.request(
        "POST", "/api/v1/tokens", json: ["chain": "tron", "address": "T1"])
      #expect(badChain.status == 400)
      #expect(badChain.json["supported_chains"] as? [String] == ["ethereum", "solana"])

      let list = try await server.request("GET", "/api/v1/tokens?chain=ethereum")
      let tokens = list.json["tokens"] as? [[String: Any]] ?? []
      #expect(tokens.contains { $0["address"] as? String == token && $0["source"] as? String == "user" })
      #expect(tokens.contains { $0["address"] as? String == Self.usdc && $0["source"] as? String == "list" })

      // The added token is read for every wallet of its chain.
      try devchain.chain.setBalance(
        chain: "ethereum", address: Self.wallet, token: token, amount: "3000000000000000000")
      let id = try await addWallet(server, chain: "ethereum", address: Self.wallet)
      let fetched = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      #expect(balances(fetched)["PEPE"]?["amount"] as? String == "3")

      let removed = try await server.request("DELETE", "/api/v1/tokens?chain=ethereum&address=\(token)")
      #expect(removed.status == 204)
      let gone = try await server.request(
        "DELETE", "/api/v1/tokens", json: ["chain": "ethereum", "address": token])
      #expect(gone.status == 404)
    }
  }
}
