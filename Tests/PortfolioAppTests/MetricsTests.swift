import DevChain
import Foundation
import Testing

/// `/metrics` through the real server: figures move with traffic, polls and failing nodes;
/// who may read them; and no wallet shows in a label.
@Suite struct MetricsTests {
  /// One series' value in the exposition text: the line that starts with `series` and a space.
  static func value(_ series: String, in text: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
      return Double(line.dropFirst(series.count + 1))
    }
    return nil
  }

  static func scrape(_ server: TestServer) async throws -> String {
    let reply = try await server.request("GET", "/metrics")
    #expect(reply.status == 200)
    #expect(reply.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
    return reply.text
  }

  /// Scrapes until `series` reaches `target`, for figures a background loop moves.
  static func waitFor(
    _ series: String, atLeast target: Double, _ server: TestServer, tries: Int = 200
  ) async throws -> Double? {
    var seen: Double?
    for _ in 0..<tries {
      seen = value(series, in: try await scrape(server))
      if let seen, seen >= target { return seen }
      try await Task.sleep(for: .milliseconds(50))
    }
    return seen
  }

  @Test func requestsMoveTheirRouteCountersAndHistograms() async throws {
    try await TestServer.with { server in
      let missing = #"portfolio_http_requests_total{method="GET",route="/api/v1/wallets/{id}",status="404"}"#
      let unmatched = #"portfolio_http_requests_total{method="GET",route="unmatched",status="404"}"#
      let timed = #"portfolio_http_request_duration_seconds_count{method="GET",route="/api/v1/wallets/{id}"}"#
      let writes = "portfolio_sqlite_write_transaction_duration_seconds_count"
      let before = try await Self.scrape(server)
      for _ in 0..<3 {
        _ = try await server.request("GET", "/api/v1/wallets/\(UUID().uuidString)")
      }
      _ = try await server.request("GET", "/api/v1/no-such-thing")
      let added = try await server.request(
        "POST", "/api/v1/wallets",
        json: ["chain": "ethereum", "address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"])
      #expect(added.status == 201)
      let after = try await Self.scrape(server)
      #expect((Self.value(missing, in: after) ?? 0) >= (Self.value(missing, in: before) ?? 0) + 3)
      #expect((Self.value(unmatched, in: after) ?? 0) >= (Self.value(unmatched, in: before) ?? 0) + 1)
      #expect((Self.value(timed, in: after) ?? 0) >= (Self.value(timed, in: before) ?? 0) + 3)
      // Adding a wallet is a write transaction.
      #expect((Self.value(writes, in: after) ?? 0) > (Self.value(writes, in: before) ?? 0))
      #expect(Self.value(#"portfolio_build_info{version="0.1.0"}"#, in: after) == 1)
      #expect((Self.value("process_resident_memory_bytes", in: after) ?? 0) > 1_000_000)
      #expect((Self.value("process_open_fds", in: after) ?? 0) > 3)
      #expect(
        (Self.value("process_max_fds", in: after) ?? 0) >= (Self.value("process_open_fds", in: after) ?? 0))
    }
  }

  @Test func pollCyclesAndAFailingNodeMoveTheirCounters() async throws {
    try await ChainAPITests.withChainServer(
      settings: ["chains.ethereum.poll_interval": "0.05", "chains.solana.enabled": "false"], polls: true
    ) { server, devchain in
      let cycles = #"portfolio_poll_cycles_total{chain="ethereum"}"#
      let failures = #"portfolio_poll_cycle_failures_total{chain="ethereum"}"#
      let serverErrors =
        #"portfolio_rpc_requests_total{chain="ethereum",method="eth_blockNumber",outcome="server_error"}"#
      let breaker = #"portfolio_rpc_breaker_state{chain="ethereum",endpoint="127.0.0.1:\#(devchain.port)"}"#
      let first = try await Self.waitFor(cycles, atLeast: 1, server) ?? 0
      #expect(first >= 1)
      let later = try await Self.waitFor(cycles, atLeast: first + 3, server) ?? 0
      #expect(later >= first + 3)
      let healthy = try await Self.scrape(server)
      #expect(Self.value(#"portfolio_chain_state{chain="ethereum"}"#, in: healthy) == 0)
      #expect(Self.value(breaker, in: healthy) == 0)
      let failedBefore = Self.value(failures, in: healthy) ?? 0

      try devchain.chain.setFault(chain: "ethereum", DevChainFault(kind: .serverError))
      let refused = try await Self.waitFor(serverErrors, atLeast: 1, server) ?? 0
      #expect(refused >= 1)
      let failed = try await Self.waitFor(failures, atLeast: failedBefore + 1, server) ?? 0
      #expect(failed >= failedBefore + 1)
      // Enough failures in a row open the endpoint's breaker.
      let opened = try await Self.waitFor(breaker, atLeast: 2, server, tries: 400)
      #expect(opened == 2)
    }
  }

  @Test func onlyLoopbackOrAnAdminTokenMayRead() async throws {
    try await UserIsolationTests.withUsers { server, _, tokens in
      let owner = try #require(tokens["owner"])
      let alice = try #require(tokens["alice"])
      let forwarded = ["X-Forwarded-For": "203.0.113.9"]
      // Auth is required, but this client is on loopback.
      #expect(try await server.request("GET", "/metrics").status == 200)
      // A proxy on this host forwarding someone else's request is not loopback.
      let anonymous = try await server.request("GET", "/metrics", headers: forwarded)
      #expect(anonymous.status == 401)
      #expect(anonymous.headers["content-type"] == "application/problem+json")
      #expect(anonymous.text.contains("admin access token"))
      let proxied = ["Forwarded": "for=203.0.113.9"]
      #expect(try await server.request("GET", "/metrics", headers: proxied).status == 401)
      let writer = try await server.request(
        "GET", "/metrics", headers: forwarded.merging(["Authorization": "Bearer \(alice)"]) { $1 })
      #expect(writer.status == 403)
      #expect(writer.json["required_scope"] as? String == "admin")
      let admin = try await server.request(
        "GET", "/metrics", headers: forwarded.merging(["Authorization": "Bearer \(owner)"]) { $1 })
      #expect(admin.status == 200)
      #expect(admin.text.contains("# TYPE portfolio_http_requests_total counter"))
    }
    try await TestServer.with(settings: ["metrics.loopback_without_token": "false"]) { server in
      let reply = try await server.request("GET", "/metrics")
      #expect(reply.status == 401)
    }
    try await TestServer.with(settings: ["metrics.enabled": "false"]) { server in
      let reply = try await server.request("GET", "/metrics")
      #expect(reply.status == 404)
    }
  }

  @Test func aBackupMovesItsCounterAndTimestamp() async throws {
    try await UserIsolationTests.withUsers { server, _, tokens in
      let owner = try #require(tokens["owner"])
      let taken = #"portfolio_backups_total{outcome="ok"}"#
      let before = Self.value(taken, in: try await Self.scrape(server)) ?? 0
      let reply = try await server.request(
        "POST", "/api/v1/admin/backups", headers: ["Authorization": "Bearer \(owner)"])
      #expect(reply.status == 201)
      let after = try await Self.scrape(server)
      #expect(Self.value(taken, in: after) == before + 1)
      let stamp = try #require(Self.value("portfolio_backup_last_success_timestamp_seconds", in: after))
      #expect(abs(stamp - Date().timeIntervalSince1970) < 120)
    }
  }

  @Test func noWalletOrAddressIsALabel() async throws {
    try await ChainAPITests.withChainServer { server, _ in
      let address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
      let added = try await server.request(
        "POST", "/api/v1/wallets", json: ["chain": "ethereum", "address": address])
      let id = try #require(added.json["id"] as? String)
      _ = try await server.request("GET", "/api/v1/wallets/\(id)")
      _ = try await server.request("POST", "/api/v1/wallets/\(id)/fetch")
      let text = try await Self.scrape(server).lowercased()
      #expect(text.contains(#"route="/api/v1/wallets/{id}""#))
      #expect(!text.contains(id.lowercased()))
      #expect(!text.contains(address.lowercased()))
      #expect(Self.value(#"portfolio_wallets{chain="ethereum"}"#, in: text) == 1)
    }
  }

  @Test func everyAnswerNamesItsRequest() async throws {
    try await TestServer.with { server in
      let kept = try await server.request("GET", "/api/v1/live", headers: ["X-Request-Id": "trace-42.a_b"])
      #expect(kept.headers["x-request-id"] == "trace-42.a_b")
      // An id that could break a log line or a header is replaced with one of our own.
      let replaced = try await server.request(
        "GET", "/api/v1/live",
        headers: ["X-Request-Id": "two words\u{7f}" + String(repeating: "x", count: 80)])
      let made = try #require(replaced.headers["x-request-id"])
      #expect(made.count == 16 && made.allSatisfy(\.isHexDigit))
      let other = try #require(try await server.request("GET", "/api/v1/nothing").headers["x-request-id"])
      #expect(other != made)
    }
  }
}
