import Crypto
import Foundation
import GRDB
import PortfolioCore
import Testing

@testable import Storage

@Suite struct AccessTokenStoreTests {
  let database: AppDatabase

  init() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("tokens-\(UUID().uuidString)/p.sqlite").path
    database = try AppDatabase(path: path)
  }

  @Test func aFreshDatabaseHasItsFirstUser() throws {
    let users = try UserStore(database).all()
    #expect(users.map(\.name) == ["owner"])
    #expect(users.first?.id == .first)
  }

  @Test func anIssuedTokenIsStoredOnlyAsItsSHA256() throws {
    let alice = try UserStore(database).create(name: "alice")
    let issued = try AccessTokenStore(database).issue(
      user: alice.id, scope: .read, name: "phone", expiresAt: nil)
    // cpt_ and 43 characters of unpadded base64url: 256 random bits.
    #expect(issued.secret.count == 47)
    #expect(issued.secret.hasPrefix("cpt_"))
    let body = issued.secret.dropFirst(4)
    #expect(body.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    #expect(issued.token.prefix == String(issued.secret.prefix(12)))
    let row = try #require(
      try database.pool.read { db in try Row.fetchOne(db, sql: "SELECT * FROM access_tokens") })
    let stored: Data = row["hash"]
    #expect(stored == Data(SHA256.hash(data: Data(issued.secret.utf8))))
    // The secret appears nowhere in the file.
    let everything = try database.pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM access_tokens").map { "\($0)" }.joined()
    }
    #expect(!everything.contains(String(body)))
  }

  @Test func sha256MatchesThePublishedVector() {
    // FIPS 180-2, appendix B.1: SHA-256("abc").
    #expect(
      TokenSecret.hash("abc").map { String(format: "%02x", $0) }.joined()
        == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
  }

  @Test func aTokenAuthenticatesAsItsUserAndScope() throws {
    let alice = try UserStore(database).create(name: "alice")
    let store = AccessTokenStore(database)
    let issued = try store.issue(user: alice.id, scope: .write, name: nil, expiresAt: nil)
    let principal = try store.authenticate(issued.secret).get()
    #expect(principal.user == alice.id)
    #expect(principal.userName == "alice")
    #expect(principal.scope == .write)
    #expect(principal.tokenID == issued.token.id)
  }

  @Test func badExpiredAndRevokedTokensAreRefusedEachForItsReason() throws {
    let store = AccessTokenStore(database)
    let now = Date()
    let expired = try store.issue(
      user: .first, scope: .read, name: nil, expiresAt: now.addingTimeInterval(-1))
    let revoked = try store.issue(user: .first, scope: .read, name: nil, expiresAt: nil)
    _ = try store.revoke(id: revoked.token.id)
    #expect(try store.authenticate(expired.secret, at: now) == .failure(.expired))
    #expect(try store.authenticate(revoked.secret) == .failure(.revoked))
    #expect(try store.authenticate("cpt_short") == .failure(.malformed))
    #expect(try store.authenticate("") == .failure(.malformed))
    // The right prefix with a wrong rest: the hash decides.
    var forged = Array(revoked.secret)
    forged[40] = forged[40] == "A" ? "B" : "A"
    #expect(try store.authenticate(String(forged)) == .failure(.unknown))
    let unknown = "cpt_" + String(repeating: "Q", count: 43)
    #expect(try store.authenticate(unknown) == .failure(.unknown))
  }

  @Test func revokingTwiceKeepsTheFirstTime() throws {
    let store = AccessTokenStore(database)
    let token = try store.issue(user: .first, scope: .read, name: nil, expiresAt: nil).token
    let first = try #require(try store.revoke(id: token.id, at: Date(millisecondsSince1970: 1_000)))
    let second = try #require(try store.revoke(id: token.id, at: Date(millisecondsSince1970: 2_000)))
    #expect(first.revokedAt == second.revokedAt)
    #expect(try store.revoke(id: 999) == nil)
  }

  @Test func removingAUserRemovesTheirWalletsHistoryAndTokens() throws {
    let users = UserStore(database)
    let alice = try users.create(name: "alice")
    let wallet = Wallet(
      owner: alice.id, chain: "ethereum", address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", label: nil,
      createdAt: Date(), updatedAt: Date())
    _ = try WalletStore(database).add(wallet)
    _ = try BalanceStore(database).apply(
      chain: "ethereum",
      readings: [
        StoredBalance(
          walletID: wallet.id, token: nil, symbol: "ETH", decimals: 18, raw: BaseUnits(UInt64(7)), block: 1,
          updatedAt: Date())
      ])
    _ = try AccessTokenStore(database).issue(user: alice.id, scope: .read, name: nil, expiresAt: nil)
    #expect(try users.delete(id: alice.id))
    #expect(try users.user(named: "alice") == nil)
    #expect(try WalletStore(database).count(owner: alice.id) == 0)
    #expect(try AccessTokenStore(database).list(user: alice.id).isEmpty)
    #expect(try HourlyTotals(database).closes(owner: alice.id, fromHour: 0, throughHour: .max / 2).isEmpty)
    #expect(try users.delete(id: alice.id) == false)
  }

  @Test func userNamesAreCheckedAndUniqueWithoutRegardToCase() throws {
    let users = UserStore(database)
    _ = try users.create(name: "Alice")
    #expect(throws: UserExists.self) { try users.create(name: "alice") }
    for bad in ["", "a b", "x;rm", String(repeating: "a", count: 65), "é"] {
      #expect(throws: InvalidUserName.self) { try users.create(name: bad) }
    }
    #expect(try users.user(named: "ALICE")?.name == "Alice")
  }
}
