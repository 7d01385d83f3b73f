import Foundation
import Testing

/// The wallet endpoints through real HTTP against the real server.
@Suite struct WalletAPITests {
  static let checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

  @Test func addGetListRelabelDelete() async throws {
    try await TestServer.with { server in
      let created = try await server.request(
        "POST", "/api/v1/wallets",
        json: ["chain": "ethereum", "address": Self.checksummed.lowercased(), "label": " Main "])
      #expect(created.status == 201)
      #expect(created.headers["content-type"] == "application/json")
      let wallet = created.json
      let id = try #require(wallet["id"] as? String)
      #expect(UUID(uuidString: id) != nil)
      #expect(wallet["address"] as? String == Self.checksummed)
      #expect(wallet["label"] as? String == "Main")
      #expect(created.headers["location"] == "/api/v1/wallets/\(id)")
      #expect((wallet["created_at"] as? String)?.hasSuffix("Z") == true)

      let fetched = try await server.request("GET", "/api/v1/wallets/\(id)")
      #expect(fetched.status == 200)
      #expect(fetched.json["address"] as? String == Self.checksummed)
      #expect(fetched.json["created_at"] as? String == wallet["created_at"] as? String)

      let list = try await server.request("GET", "/api/v1/wallets")
      #expect((list.json["wallets"] as? [[String: Any]])?.count == 1)
      #expect(list.json["next_cursor"] is NSNull)

      let relabeled = try await server.request(
        "PATCH", "/api/v1/wallets/\(id)", json: ["label": "cold storage"])
      #expect(relabeled.status == 200)
      #expect(relabeled.json["label"] as? String == "cold storage")
      let cleared = try await server.request("PATCH", "/api/v1/wallets/\(id)", json: ["label": NSNull()])
      #expect(cleared.json["label"] is NSNull)

      #expect(try await server.request("DELETE", "/api/v1/wallets/\(id)").status == 204)
      #expect(try await server.request("GET", "/api/v1/wallets/\(id)").status == 404)
      #expect(try await server.request("DELETE", "/api/v1/wallets/\(id)").status == 404)
    }
  }

  @Test func solanaAddressesAreStoredAsBase58() async throws {
    try await TestServer.with { server in
      let created = try await server.request(
        "POST", "/api/v1/wallets",
        json: ["chain": "SOLANA", "address": "  So11111111111111111111111111111111111111112 "])
      #expect(created.status == 201)
      #expect(created.json["chain"] as? String == "solana")
      #expect(created.json["address"] as? String == "So11111111111111111111111111111111111111112")
    }
  }

  @Test func addingAWalletTwiceIsAConflictNamingTheFirst() async throws {
    try await TestServer.with { server in
      let first = try await server.request(
        "POST", "/api/v1/wallets", json: ["chain": "ethereum", "address": Self.checksummed])
      let again = try await server.request(
        "POST", "/api/v1/wallets",
        json: [
          "chain": "ethereum",
          "address": Self.checksummed.uppercased().replacingOccurrences(of: "0X", with: "0x"),
        ])
      #expect(again.status == 409)
      #expect(again.headers["content-type"] == "application/problem+json")
      #expect(again.json["existing_id"] as? String == first.json["id"] as? String)
      let otherChain = try await server.request(
        "POST", "/api/v1/wallets", json: ["chain": "base", "address": Self.checksummed])
      #expect(otherChain.status == 201)
    }
  }

  @Test func listPagesWithACursor() async throws {
    try await TestServer.with { server in
      for index in 0..<7 {
        let address = "0x" + String(repeating: "0", count: 39) + String(index)
        let reply = try await server.request(
          "POST", "/api/v1/wallets", json: ["chain": "ethereum", "address": address])
        #expect(reply.status == 201)
      }
      var addresses: [String] = []
      var cursor: String? = nil
      var pages = 0
      repeat {
        let query = cursor.map { "&cursor=\($0)" } ?? ""
        let page = try await server.request("GET", "/api/v1/wallets?limit=3\(query)")
        #expect(page.status == 200)
        addresses += (page.json["wallets"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
        cursor = page.json["next_cursor"] as? String
        pages += 1
      } while cursor != nil && pages < 10
      #expect(pages == 3)
      #expect(addresses.count == 7)
      #expect(Set(addresses).count == 7)
    }
  }

  @Test func dataSurvivesARestart() async throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("restart-\(UUID().uuidString)/p.sqlite").path
    let id = try await TestServer.with(databasePath: path) { server in
      let created = try await server.request(
        "POST", "/api/v1/wallets", json: ["chain": "ethereum", "address": Self.checksummed, "label": "kept"])
      return try #require(created.json["id"] as? String)
    }
    try await TestServer.with(databasePath: path) { server in
      let fetched = try await server.request("GET", "/api/v1/wallets/\(id)")
      #expect(fetched.status == 200)
      #expect(fetched.json["label"] as? String == "kept")
    }
  }
}
