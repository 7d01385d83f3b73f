import Foundation
import Testing

/// Every refusal is a 4xx problem+json that names what is wrong.
@Suite struct BadInputTests {
  func expectProblem(
    _ reply: TestServer.Reply, status: Int, field: String? = nil, mentions: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(reply.status == status, sourceLocation: sourceLocation)
    #expect(reply.headers["content-type"] == "application/problem+json", sourceLocation: sourceLocation)
    #expect(reply.json["status"] as? Int == status, sourceLocation: sourceLocation)
    #expect(reply.json["title"] is String, sourceLocation: sourceLocation)
    #expect(reply.json["type"] as? String == "about:blank", sourceLocation: sourceLocation)
    if let field { #expect(reply.json["field"] as? String == field, sourceLocation: sourceLocation) }
    let detail = reply.json["detail"] as? String ?? ""
    #expect(detail.contains(mentions), "detail: \(detail)", sourceLocation: sourceLocation)
  }

  @Test func walletBodiesAreValidatedFieldByField() async throws {
    try await TestServer.with { server in
      let post = { (json: Any) in try await server.request("POST", "/api/v1/wallets", json: json) }
      expectProblem(
        try await post(["chain": "ethereum"]), status: 400, field: "address",
        mentions: "'address' is required")
      expectProblem(
        try await post(["address": "0x1"]), status: 400, field: "chain", mentions: "'chain' is required")
      expectProblem(
        try await post(["chain": 1, "address": "x"]), status: 400, field: "chain",
        mentions: "must be a string")
      expectProblem(
        try await post(["chain": "ethereum", "address": ["0x1"]]), status: 400, field: "address",
        mentions: "must be a string")
      expectProblem(
        try await post([
          "chain": "ethereum", "address": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "label": 7,
        ]),
        status: 400, field: "label", mentions: "string or null")
      expectProblem(
        try await post([
          "chain": "ethereum", "address": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
          "label": String(repeating: "x", count: 101),
        ]),
        status: 400, field: "label", mentions: "longer than 100")
      expectProblem(
        try await post([
          "chain": "ethereum", "address": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "id": "mine",
        ]),
        status: 400, field: "id", mentions: "'id' is not accepted")
      expectProblem(try await post([1, 2]), status: 400, mentions: "JSON object")
      let notJSON = try await server.request(
        "POST", "/api/v1/wallets", body: Data("{chain:".utf8), headers: ["Content-Type": "application/json"])
      expectProblem(notJSON, status: 400, mentions: "not valid JSON")
      let text = try await server.request(
        "POST", "/api/v1/wallets", body: Data("hello".utf8), headers: ["Content-Type": "text/plain"])
      expectProblem(text, status: 415, mentions: "application/json")
      let empty = try await server.request("POST", "/api/v1/wallets")
      expectProblem(empty, status: 400, mentions: "JSON object body")
    }
  }

  @Test func anUnknownChainListsTheSupportedOnes() async throws {
    try await TestServer.with { server in
      let reply = try await server.request(
        "POST", "/api/v1/wallets", json: ["chain": "dogecoin", "address": "D1"])
      expectProblem(
        reply, status: 400, field: "chain", mentions: "supported chains: arbitrum, base, bsc, ethereum")
      #expect(
        reply.json["supported_chains"] as? [String]
          == ["arbitrum", "base", "bsc", "ethereum", "optimism", "polygon", "solana"])
    }
  }

  @Test func addressErrorsNameTheChainAndTheReason() async throws {
    try await TestServer.with { server in
      let post = { (chain: String, address: String) in
        try await server.request("POST", "/api/v1/wallets", json: ["chain": chain, "address": address])
      }
      let checksum = try await post("ethereum", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")
      expectProblem(checksum, status: 400, field: "address", mentions: "Invalid ethereum address")
      #expect(checksum.json["suggestion"] as? String == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
      #expect(
        (checksum.json["detail"] as? String)?.contains("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed") == true)
      expectProblem(try await post("polygon", "0x1234"), status: 400, field: "address", mentions: "found 4")
      expectProblem(
        try await post("base", "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), status: 400, field: "address",
        mentions: "0x")
      expectProblem(
        try await post("solana", "0OIl"), status: 400, field: "address", mentions: "Invalid solana address")
      expectProblem(
        try await post("solana", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"), status: 400, field: "address",
        mentions: "25 bytes")
      expectProblem(
        try await post("ethereum", ""), status: 400, field: "address", mentions: "Invalid ethereum address")
    }
  }

  @Test func idsThatNameNoWalletAre404() async throws {
    try await TestServer.with { server in
      for path in ["/api/v1/wallets/not-a-uuid", "/api/v1/wallets/\(UUID().uuidString)"] {
        expectProblem(try await server.request("GET", path), status: 404, mentions: "No wallet")
        expectProblem(try await server.request("DELETE", path), status: 404, mentions: "No wallet")
        expectProblem(
          try await server.request("PATCH", path, json: ["label": "x"]), status: 404, mentions: "No wallet")
      }
    }
  }

  @Test func patchChangesOnlyTheLabel() async throws {
    try await TestServer.with { server in
      let created = try await server.request(
        "POST", "/api/v1/wallets",
        json: ["chain": "ethereum", "address": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"])
      let path = "/api/v1/wallets/\(created.json["id"] as? String ?? "")"
      expectProblem(
        try await server.request("PATCH", path, json: ["address": "0x0"]), status: 400, field: "address",
        mentions: "'address' is not accepted")
      expectProblem(
        try await server.request("PATCH", path, json: [:] as [String: String]), status: 400, field: "label",
        mentions: "'label' is required")
    }
  }

  @Test func listParametersAreChecked() async throws {
    try await TestServer.with { server in
      for limit in ["0", "501", "ten", "-1"] {
        expectProblem(
          try await server.request("GET", "/api/v1/wallets?limit=\(limit)"), status: 400, field: "limit",
          mentions: "'limit'")
      }
      expectProblem(
        try await server.request("GET", "/api/v1/wallets?cursor=bogus"), status: 400, field: "cursor",
        mentions: "'cursor'")
      expectProblem(
        try await server.request("GET", "/api/v1/wallets?chain=atlantis"), status: 400, field: "chain",
        mentions: "Unknown chain")
    }
  }

  @Test func unknownPathsAndWrongMethods() async throws {
    try await TestServer.with { server in
      expectProblem(
        try await server.request("GET", "/api/v1/nothing"), status: 404, mentions: "/api/v1/nothing")
      expectProblem(
        try await server.request("GET", "/no-such-file.js"), status: 404, mentions: "/no-such-file.js")
      let wrong = try await server.request("PUT", "/api/v1/wallets")
      expectProblem(wrong, status: 405, mentions: "PUT is not allowed")
      #expect(wrong.headers["allow"] == "POST, GET, HEAD")
      let probe = try await server.request("POST", "/api/v1/health")
      expectProblem(probe, status: 405, mentions: "use GET")
      #expect(probe.headers["allow"] == "GET, HEAD")
      for path in ["/", "/index.html", "/missing.css"] {
        let staticWrite = try await server.request("DELETE", path)
        expectProblem(staticWrite, status: 405, mentions: "DELETE is not allowed on \(path)")
        #expect(staticWrite.headers["allow"] == "GET, HEAD")
      }
      let options = try await server.request("OPTIONS", "/api/v1/wallets/\(UUID().uuidString)")
      #expect(options.status == 204)
      #expect(options.headers["allow"] == "GET, PATCH, DELETE, HEAD")
    }
  }

  @Test func bodiesOverTheLimitAre413() async throws {
    try await TestServer.with(settings: ["server.max_body_bytes": "1024"]) { server in
      let big = Data(repeating: UInt8(ascii: " "), count: 4096)
      let reply = try await server.request(
        "POST", "/api/v1/wallets", body: big, headers: ["Content-Type": "application/json"])
      expectProblem(reply, status: 413, mentions: "limit of 1024 bytes")
      #expect(reply.json["limit_bytes"] as? Int == 1024)
      // The server still answers after refusing.
      #expect(try await server.request("GET", "/api/v1/live").status == 200)
    }
  }

  @Test func theRateLimitAnswers429WithRetryAfterButSparesProbes() async throws {
    // A window of an hour: a test running across a window's end would start a fresh one.
    try await TestServer.with(settings: ["rate_limit.requests": "3", "rate_limit.window_seconds": "3600"]) {
      server in
      for _ in 0..<3 { #expect(try await server.request("GET", "/api/v1/wallets").status == 200) }
      let limited = try await server.request("GET", "/api/v1/wallets")
      expectProblem(limited, status: 429, mentions: "More than 3 requests")
      let retryAfter = Int(limited.headers["retry-after"] ?? "")
      #expect(retryAfter != nil && retryAfter! >= 0 && retryAfter! <= 3600)
      #expect(try await server.request("GET", "/api/v1/health").status == 200)
    }
  }
}
