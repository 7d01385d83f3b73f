import Foundation
import Logging
import PortfolioApp
import PortfolioConfig
import Testing

/// The real server refuses what another site's page would do, over real HTTP.
@Suite struct CrossSiteTests {
  static let listed = "https://app.example.com"
  static let settings = ["server.cors_allowed_origins": listed]
  static let wallet = ["chain": "ethereum", "address": "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"]

  @Test func aForeignOriginCannotAddOrDeleteAWallet() async throws {
    try await TestServer.with(settings: Self.settings) { server in
      let refused = try await server.request(
        "POST", "/api/v1/wallets", json: Self.wallet, headers: ["Origin": "https://evil.example"])
      #expect(refused.status == 403)
      #expect(refused.headers["content-type"] == "application/problem+json")
      #expect(refused.json["origin"] as? String == "https://evil.example")
      #expect((refused.json["detail"] as? String)?.contains("https://evil.example") == true)
      let listed = try await server.request("GET", "/api/v1/wallets")
      #expect((listed.json["wallets"] as? [Any])?.isEmpty == true)

      let created = try await server.request("POST", "/api/v1/wallets", json: Self.wallet)
      #expect(created.status == 201)
      let id = try #require(created.json["id"] as? String)
      let deleted = try await server.request(
        "DELETE", "/api/v1/wallets/\(id)", headers: ["Origin": "https://evil.example"])
      #expect(deleted.status == 403)
      #expect(try await server.request("GET", "/api/v1/wallets/\(id)").status == 200)
    }
  }

  @Test func aListedOriginGetsCORSAndItsPreflight() async throws {
    try await TestServer.with(settings: Self.settings) { server in
      let created = try await server.request(
        "POST", "/api/v1/wallets", json: Self.wallet, headers: ["Origin": Self.listed])
      #expect(created.status == 201)
      #expect(created.headers["access-control-allow-origin"] == Self.listed)
      #expect(created.headers["vary"]?.contains("Origin") == true)

      let preflight = try await server.request(
        "OPTIONS", "/api/v1/wallets",
        headers: ["Origin": Self.listed, "Access-Control-Request-Method": "POST"])
      #expect(preflight.status == 204)
      #expect(preflight.headers["access-control-allow-origin"] == Self.listed)
      #expect(preflight.headers["access-control-allow-headers"]?.contains("Authorization") == true)
      #expect(preflight.headers["access-control-allow-methods"]?.contains("DELETE") == true)

      let foreign = try await server.request(
        "OPTIONS", "/api/v1/wallets",
        headers: ["Origin": "https://evil.example", "Access-Control-Request-Method": "POST"])
      #expect(foreign.status == 403)
      #expect(foreign.headers["access-control-allow-origin"] == nil)
    }
  }

  @Test func aTextBodyIs415() async throws {
    try await TestServer.with { server in
      let body = try JSONSerialization.data(withJSONObject: Self.wallet)
      let reply = try await server.request(
        "POST", "/api/v1/wallets", body: body, headers: ["Content-Type": "text/plain;charset=UTF-8"])
      #expect(reply.status == 415)
      #expect(reply.json["accepted_types"] as? [String] == ["application/json"])
      let listed = try await server.request("GET", "/api/v1/wallets")
      #expect((listed.json["wallets"] as? [Any])?.isEmpty == true)
    }
  }

  @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
    try await TestServer.with { server in
      for (path, dashboard) in [
        ("/api/v1/live", false), ("/", true), ("/js/app.js", true), ("/missing", false),
      ] {
        let reply = try await server.request("GET", path)
        #expect(reply.headers["x-content-type-options"] == "nosniff", "\(path)")
        #expect(reply.headers["x-frame-options"] == "DENY", "\(path)")
        #expect(reply.headers["referrer-policy"] == "strict-origin-when-cross-origin", "\(path)")
        let policy = reply.headers["content-security-policy"] ?? ""
        #expect(policy.contains("frame-ancestors 'none'"), "\(path)")
        #expect(policy.contains("script-src 'self'") == dashboard, "\(path): \(policy)")
      }
    }
  }

  @Test func unusableTLSFilesAreAConfigurationErrorBeforeTheDatabaseOpens() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let junk = directory.appendingPathComponent("junk.pem").path
    try "not PEM\n".write(toFile: junk, atomically: true, encoding: .utf8)
    let database = directory.appendingPathComponent("never.sqlite").path
    let config = try ConfigLoader.load(
      environment: [:],
      overrides: [
        "server.port": "0", "database.url": database, "server.tls_cert": junk, "server.tls_key": junk,
      ])
    #expect {
      try PortfolioServer(config: config, logger: Logger(label: "test"), polls: false)
    } throws: { error in
      guard let error = error as? ConfigError else { return false }
      return error.key == "server.tls_key" && error.message.contains("not an unencrypted PEM private key")
    }
    #expect(!FileManager.default.fileExists(atPath: database))
  }
}
