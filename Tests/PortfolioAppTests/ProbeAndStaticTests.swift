import Foundation
import Testing

@Suite struct ProbeAndStaticTests {
  @Test func probesAnswer() async throws {
    try await TestServer.with { server in
      let live = try await server.request("GET", "/api/v1/live")
      #expect(live.status == 200)
      #expect(live.json["status"] as? String == "alive")
      let ready = try await server.request("GET", "/api/v1/ready")
      #expect(ready.status == 200)
      #expect(ready.json["status"] as? String == "ready")
      let health = try await server.request("GET", "/api/v1/health")
      #expect(health.status == 200)
      // This server never polls: no chain has been read, so none is ok and neither is the whole.
      #expect(health.json["status"] as? String == "degraded")
      #expect(health.json["database"] as? String == "ok")
      #expect(health.json["wallets"] as? Int == 0)
      let solana = (health.json["chains"] as? [String: Any])?["solana"] as? [String: Any]
      #expect(solana?["status"] as? String == "degraded")
      #expect(solana?["reason"] as? String == "not_read_yet")
      #expect(solana?["last_good_read"] is NSNull)
      let endpoints = solana?["endpoints"] as? [[String: Any]]
      #expect(endpoints?.first?["url"] as? String == "https://api.mainnet-beta.solana.com")
      #expect(endpoints?.first?["breaker"] as? String == "closed")
    }
  }

  @Test func theDashboardIsServedFromWebStatic() async throws {
    try await TestServer.with { server in
      let page = try await server.request("GET", "/")
      #expect(page.status == 200)
      #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
      let onDisk = try String(
        contentsOf: TestServer.repositoryRoot.appendingPathComponent("web-static/index.html"), encoding: .utf8
      )
      #expect(page.text == onDisk)
      let byName = try await server.request("GET", "/index.html")
      #expect(byName.text == onDisk)
    }
  }

  @Test func headAnswersWithoutABody() async throws {
    try await TestServer.with { server in
      let head = try await server.request("HEAD", "/api/v1/wallets")
      #expect(head.status == 200)
      #expect(head.body.isEmpty)
      #expect(head.headers["content-length"] == String(#"{"next_cursor":null,"wallets":[]}"#.utf8.count))
    }
  }

  @Test func manyConcurrentRequestsAllSucceed() async throws {
    try await TestServer.with { server in
      let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
        for index in 0..<64 {
          group.addTask {
            let address = "0x" + String(format: "%040x", index + 1)
            return try await server.request(
              "POST", "/api/v1/wallets", json: ["chain": "ethereum", "address": address]
            ).status
          }
        }
        return try await group.reduce(into: [Int]()) { $0.append($1) }
      }
      #expect(statuses.count == 64)
      #expect(statuses.allSatisfy { $0 == 201 })
      let health = try await server.request("GET", "/api/v1/health")
      #expect(health.json["wallets"] as? Int == 64)
      // Per chain, the tracked wallets: no poller has read them yet.
      let ethereum = (health.json["chains"] as? [String: Any])?["ethereum"] as? [String: Any]
      #expect(ethereum?["wallets"] as? Int == 64)
      #expect(ethereum?["last_read_wallets"] as? Int == 0)
    }
  }
}
