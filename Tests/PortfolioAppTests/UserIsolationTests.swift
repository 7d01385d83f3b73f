import DevChain
import Foundation
import Storage
import Testing

@testable import LiveUpdates

/// Two users on one server, through real HTTP: each sees and changes only their own wallets,
/// and an address both track is read from the chain once.
@Suite struct UserIsolationTests {
  static let address = ChainAPITests.wallet

  /// A server that asks for tokens, with an admin token for owner and write tokens for alice
  /// and bob.
  static func withUsers(
    settings: [String: String] = [:],
    _ body: (TestServer, DevChainServer, _ tokens: [String: String]) async throws -> Void
  ) async throws {
    try await ChainAPITests.withChainServer(
      settings: ["server.auth_required": "true"].merging(settings) { $1 }
    ) {
      server, devchain in
      let database = try AppDatabase(path: server.databasePath)
      var tokens: [String: String] = [:]
      tokens["owner"] = try AccessTokenStore(database).issue(
        user: .first, scope: .admin, name: nil, expiresAt: nil
      )
      .secret
      for name in ["alice", "bob"] {
        let user = try UserStore(database).create(name: name)
        tokens[name] = try AccessTokenStore(database).issue(
          user: user.id, scope: .write, name: nil, expiresAt: nil
        )
        .secret
      }
      try await body(server, devchain, tokens)
    }
  }

  static func call(
    _ server: TestServer, _ token: String?, _ method: String, _ path: String, json: Any? = nil
  ) async throws -> TestServer.Reply {
    try await server.request(
      method, path, json: json, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
  }

  @Test func anotherUsersWalletIsUnknownOnEveryEndpoint() async throws {
    try await Self.withUsers { server, devchain, tokens in
      try devchain.chain.setBalance(chain: "ethereum", address: Self.address, token: nil, amount: "7")
      let added = try await Self.call(
        server, tokens["alice"], "POST", "/api/v1/wallets",
        json: ["chain": "ethereum", "address": Self.address])
      #expect(added.status == 201)
      let id = try #require(added.json["id"] as? String)
      #expect(
        try await Self.call(server, tokens["alice"], "POST", "/api/v1/wallets/\(id)/fetch").status == 200)

      let bob = tokens["bob"]
      for (method, path, json) in [
        ("GET", "/api/v1/wallets/\(id)", nil), ("PATCH", "/api/v1/wallets/\(id)", ["label": "mine"]),
        ("GET", "/api/v1/wallets/\(id)/balances", nil), ("GET", "/api/v1/wallets/\(id)/history", nil),
        ("POST", "/api/v1/wallets/\(id)/fetch", nil), ("DELETE", "/api/v1/wallets/\(id)", nil),
      ] as [(String, String, [String: String]?)] {
        let reply = try await Self.call(server, bob, method, path, json: json)
        #expect(reply.status == 404, "\(method) \(path) as another user")
        #expect(reply.text.contains("No wallet with id"), "answered as an unknown id: \(reply.text)")
        #expect(!reply.text.contains(Self.address), "no data of the other user's wallet")
      }
      let list = try await Self.call(server, bob, "GET", "/api/v1/wallets")
      #expect((list.json["wallets"] as? [Any])?.isEmpty == true)
      let portfolio = try await Self.call(server, bob, "GET", "/api/v1/portfolio")
      #expect(portfolio.json["wallets"] as? Int == 0)
      #expect((portfolio.json["totals"] as? [Any])?.isEmpty == true)
      let history = try await Self.call(server, bob, "GET", "/api/v1/portfolio/history")
      #expect(history.status == 200)
      #expect(
        !history.text.contains("ETH"), "bob's history has no asset of alice's: \(history.text.prefix(300))")

      // Alice's own view is whole and untouched by bob's attempts.
      let mine = try await Self.call(server, tokens["alice"], "GET", "/api/v1/wallets/\(id)")
      #expect(mine.status == 200)
      #expect(mine.json["label"] is NSNull)
      let alicePortfolio = try await Self.call(server, tokens["alice"], "GET", "/api/v1/portfolio")
      #expect(alicePortfolio.json["wallets"] as? Int == 1)
      let aliceHistory = try await Self.call(server, tokens["alice"], "GET", "/api/v1/portfolio/history")
      #expect(aliceHistory.text.contains("ETH"))
    }
  }

  @Test func twoUsersTrackOneAddressEachWithTheirOwnWalletReadOnce() async throws {
    try await Self.withUsers { server, devchain, tokens in
      try devchain.chain.setBalance(chain: "ethereum", address: Self.address, token: nil, amount: "42")
      var ids: [String: String] = [:]
      for name in ["alice", "bob"] {
        let reply = try await Self.call(
          server, tokens[name], "POST", "/api/v1/wallets",
          json: ["chain": "ethereum", "address": Self.address])
        #expect(reply.status == 201, "\(name): \(reply.text)")
        ids[name] = reply.json["id"] as? String
      }
      #expect(ids["alice"] != ids["bob"])
      // The same user adding it again is a conflict, as before.
      let again = try await Self.call(
        server, tokens["bob"], "POST", "/api/v1/wallets",
        json: ["chain": "ethereum", "address": Self.address])
      #expect(again.status == 409)
      #expect(again.json["existing_id"] as? String == ids["bob"])

      // Wait out the reads that adding queued, so they do not count below.
      for name in ["alice", "bob"] {
        #expect(
          try await Self.call(server, tokens[name], "POST", "/api/v1/wallets/\(ids[name] ?? "")/fetch").status
            == 200)
      }
      // A full read asks the chain about the shared address once: as many calls as one more
      // address of one user's adds.
      func callsOfAFullRead() async throws -> Int {
        let before = devchain.chain.stats["ethereum"]?.multicallCalls ?? 0
        await server.server.live.pollers["ethereum"]?.tick(force: true)
        return (devchain.chain.stats["ethereum"]?.multicallCalls ?? 0) - before
      }
      let shared = try await callsOfAFullRead()
      #expect(shared > 0)
      let other = try await Self.call(
        server, tokens["bob"], "POST", "/api/v1/wallets",
        json: ["chain": "ethereum", "address": PortfolioAPITests.second])
      #expect(other.status == 201)
      _ = try await Self.call(
        server, tokens["bob"], "POST", "/api/v1/wallets/\(other.json["id"] as? String ?? "")/fetch")
      let distinct = try await callsOfAFullRead()
      #expect(
        distinct == 2 * shared,
        "two distinct addresses cost twice one shared address: \(distinct) vs \(shared)")
      for name in ["alice", "bob"] {
        let balances = try await Self.call(
          server, tokens[name], "GET", "/api/v1/wallets/\(ids[name] ?? "")/balances")
        let raw = (balances.json["balances"] as? [[String: Any]])?.first?["raw"] as? String
        #expect(raw == "42", "\(name)'s wallet holds the balance read")
      }
      // Removing bob's wallet leaves alice's.
      #expect(
        try await Self.call(server, tokens["bob"], "DELETE", "/api/v1/wallets/\(ids["bob"] ?? "")").status
          == 204)
      #expect(
        try await Self.call(server, tokens["alice"], "GET", "/api/v1/wallets/\(ids["alice"] ?? "")").status
          == 200)
    }
  }

  @Test func tokensAreCheckedAndScopesEnforced() async throws {
    try await Self.withUsers { server, _, tokens in
      let missing = try await Self.call(server, nil, "GET", "/api/v1/wallets")
      #expect(missing.status == 401)
      #expect(missing.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
      #expect(missing.headers["content-type"] == "application/problem+json")
      let basic = try await server.request("GET", "/api/v1/wallets", headers: ["Authorization": "Basic YTpi"])
      #expect(basic.status == 401)
      let forged = try await Self.call(
        server, "cpt_" + String(repeating: "A", count: 43), "GET", "/api/v1/wallets")
      #expect(forged.status == 401)
      #expect(forged.headers["www-authenticate"]?.contains("invalid_token") == true)
      // Probes and the document stay open; the health details are for users.
      #expect(try await Self.call(server, nil, "GET", "/api/v1/live").status == 200)
      #expect(try await Self.call(server, nil, "GET", "/api/v1/ready").status == 200)
      #expect(try await Self.call(server, nil, "GET", "/api/v1/health").status == 401)
      #expect(try await Self.call(server, tokens["bob"], "GET", "/api/v1/health").status == 200)
      #expect(try await Self.call(server, nil, "GET", "/api/v1/openapi.json").status == 200)

      let database = try AppDatabase(path: server.databasePath)
      let reader = try AccessTokenStore(database).issue(user: .first, scope: .read, name: nil, expiresAt: nil)
      #expect(try await Self.call(server, reader.secret, "GET", "/api/v1/wallets").status == 200)
      let refused = try await Self.call(
        server, reader.secret, "POST", "/api/v1/wallets",
        json: ["chain": "ethereum", "address": Self.address])
      #expect(refused.status == 403)
      #expect(refused.json["required_scope"] as? String == "write")
      #expect(refused.json["token_scope"] as? String == "read")
      // Users and tokens are for admins.
      #expect(try await Self.call(server, tokens["alice"], "GET", "/api/v1/users").status == 403)
      #expect(try await Self.call(server, tokens["owner"], "GET", "/api/v1/users").status == 200)

      // Revoked over REST: refused at once.
      let revoke = try await Self.call(
        server, tokens["owner"], "DELETE", "/api/v1/access-tokens/\(reader.token.id)")
      #expect(revoke.status == 204)
      #expect(try await Self.call(server, reader.secret, "GET", "/api/v1/wallets").status == 401)
      // Expired: refused.
      let expired = try AccessTokenStore(database).issue(
        user: .first, scope: .read, name: nil, expiresAt: Date().addingTimeInterval(-1))
      let late = try await Self.call(server, expired.secret, "GET", "/api/v1/wallets")
      #expect(late.status == 401)
      #expect(late.text.contains("expired"))
    }
  }

  @Test func adminsManageUsersAndTokensOverREST() async throws {
    try await Self.withUsers { server, _, tokens in
      let admin = tokens["owner"]
      let created = try await Self.call(server, admin, "POST", "/api/v1/users", json: ["name": "carol"])
      #expect(created.status == 201)
      #expect(
        try await Self.call(server, admin, "POST", "/api/v1/users", json: ["name": "CAROL"]).status == 409)
      #expect(
        try await Self.call(server, admin, "POST", "/api/v1/users", json: ["name": "a b"]).status == 400)
      let issued = try await Self.call(
        server, admin, "POST", "/api/v1/access-tokens",
        json: ["user": "carol", "scope": "read", "name": "phone", "expires_in": "30d"])
      #expect(issued.status == 201)
      let secret = try #require(issued.json["token"] as? String)
      #expect(issued.json["expires_at"] is String)
      let me = try await Self.call(server, secret, "GET", "/api/v1/me")
      #expect(me.json["user"] as? String == "carol")
      #expect(me.json["scope"] as? String == "read")
      // Listed without its secret.
      let list = try await Self.call(server, admin, "GET", "/api/v1/access-tokens?user=carol")
      #expect(list.status == 200)
      #expect(!list.text.contains(secret))
      #expect((list.json["access_tokens"] as? [Any])?.count == 1)
      for bad in [
        ["scope": "root"], ["scope": "read", "expires_in": "soon"], ["scope": "read", "user": "nobody"],
      ] {
        #expect(
          try await Self.call(server, admin, "POST", "/api/v1/access-tokens", json: bad).status == 400,
          "\(bad)")
      }
      // Removing carol ends her token; an admin cannot remove themselves.
      #expect(try await Self.call(server, admin, "DELETE", "/api/v1/users/carol").status == 204)
      #expect(try await Self.call(server, secret, "GET", "/api/v1/me").status == 401)
      #expect(try await Self.call(server, admin, "DELETE", "/api/v1/users/owner").status == 409)
      #expect(try await Self.call(server, admin, "GET", "/api/v1/users/carol").status == 404)
    }
  }
}
