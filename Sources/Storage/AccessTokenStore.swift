public import Foundation
import GRDB
public import PortfolioCore

/// Issues, lists, revokes and checks access tokens.
public struct AccessTokenStore: Sendable {
  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// Makes a token for the user; its secret is in the answer and nowhere else.
  public func issue(
    user: UserID, scope: AccessScope, name: String?, expiresAt: Date?, at time: Date = Date()
  ) throws -> IssuedToken {
    try database.write { db in
      guard let owner = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [user])
      else {
        throw UnknownUser(reference: user.description)
      }
      // A prefix already in use (odds of about one in 2^48) is drawn again.
      var secret = TokenSecret.generate()
      while try Row.fetchOne(
        db, sql: "SELECT id FROM access_tokens WHERE prefix = ?",
        arguments: [String(secret.prefix(TokenSecret.prefixLength))]) != nil
      {
        secret = TokenSecret.generate()
      }
      let prefix = String(secret.prefix(TokenSecret.prefixLength))
      try db.execute(
        sql: """
          INSERT INTO access_tokens (user_id, name, scope, prefix, hash, created_at, expires_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          user, name, scope, prefix, TokenSecret.hash(secret), time.millisecondsSince1970,
          expiresAt?.millisecondsSince1970,
        ])
      let token = AccessToken(
        id: db.lastInsertedRowID, user: user, userName: owner["name"], name: name, scope: scope,
        prefix: prefix,
        createdAt: Date(millisecondsSince1970: time.millisecondsSince1970),
        expiresAt: expiresAt.map { Date(millisecondsSince1970: $0.millisecondsSince1970) }, lastUsedAt: nil,
        revokedAt: nil)
      return IssuedToken(token: token, secret: secret)
    }
  }

  /// Tokens, of one user or all, oldest first; revoked and expired ones included.
  public func list(user: UserID? = nil) throws -> [AccessToken] {
    try database.pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          \(Self.select) \(user == nil ? "" : "WHERE t.user_id = ?") ORDER BY t.id
          """, arguments: user.map { [$0] } ?? []
      ).map(Self.token)
    }
  }

  public func token(id: Int64) throws -> AccessToken? {
    try database.pool.read { db in
      try Row.fetchOne(
        db,
        sql:
          "\(Self.select) WHERE t.id = ?",
        arguments: [id]
      ).map(Self.token)
    }
  }

  /// Revokes the token at once; nil when there is no such token. Revoking twice keeps the
  /// first time.
  public func revoke(id: Int64, at time: Date = Date()) throws -> AccessToken? {
    try database.write { db in
      try db.execute(
        sql: "UPDATE access_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
        arguments: [time.millisecondsSince1970, id])
      return try Row.fetchOne(
        db,
        sql:
          "\(Self.select) WHERE t.id = ?",
        arguments: [id]
      ).map(Self.token)
    }
  }

  /// Who the token acts for, or why it does not.
  public func authenticate(_ secret: String, at time: Date = Date()) throws -> Result<Principal, TokenRefusal>
  {
    guard let prefix = TokenSecret.prefix(of: secret) else { return .failure(.malformed) }
    let row = try database.pool.read { db in
      try Row.fetchOne(
        db,
        sql: """
          \(Self.select) WHERE t.prefix = ?
          """, arguments: [prefix])
    }
    guard let row, TokenSecret.sameHash(row["hash"], TokenSecret.hash(secret)) else {
      return .failure(.unknown)
    }
    let token = Self.token(row)
    if token.revokedAt != nil { return .failure(.revoked) }
    if let expiry = token.expiresAt, expiry <= time { return .failure(.expired) }
    return .success(
      Principal(
        user: token.user, userName: token.userName, scope: token.scope, tokenID: token.id,
        expiresAt: token.expiresAt))
  }

  /// Of these tokens, the ones that still let their bearer in: not revoked, not expired, and
  /// their user still there.
  public func stillActive(_ ids: Set<Int64>, at time: Date = Date()) throws -> Set<Int64> {
    guard !ids.isEmpty else { return [] }
    return try database.pool.read { db in
      let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
      let rows = try Int64.fetchAll(
        db,
        sql: """
          SELECT id FROM access_tokens WHERE id IN (\(marks))
            AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
          """, arguments: StatementArguments(Array(ids)) + [time.millisecondsSince1970])
      return Set(rows)
    }
  }

  /// Records that the token was used.
  public func markUsed(id: Int64, at time: Date) throws {
    try database.write { db in
      try db.execute(
        sql: "UPDATE access_tokens SET last_used_at = ? WHERE id = ?",
        arguments: [time.millisecondsSince1970, id])
    }
  }

  /// Whether any token could let someone in: none means no one can use a server that asks.
  public func anyActive(at time: Date = Date()) throws -> Bool {
    try database.pool.read { db in
      try Row.fetchOne(
        db,
        sql:
          "SELECT 1 FROM access_tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
        arguments: [time.millisecondsSince1970]) != nil
    }
  }

  /// Tokens with their user's name, as `token(_:)` reads them.
  static let select = "SELECT t.*, u.name AS user_name FROM access_tokens t JOIN users u ON u.id = t.user_id"

  static func token(_ row: Row) -> AccessToken {
    let expires: Int64? = row["expires_at"]
    let used: Int64? = row["last_used_at"]
    let revoked: Int64? = row["revoked_at"]
    return AccessToken(
      id: row["id"], user: row["user_id"], userName: row["user_name"], name: row["name"],
      scope: AccessScope(rawValue: row["scope"]) ?? .read, prefix: row["prefix"],
      createdAt: Date(millisecondsSince1970: row["created_at"]),
      expiresAt: expires.map(Date.init(millisecondsSince1970:)),
      lastUsedAt: used.map(Date.init(millisecondsSince1970:)),
      revokedAt: revoked.map(Date.init(millisecondsSince1970:)))
  }
}

/// A user named or numbered that does not exist.
public struct UnknownUser: Error, Sendable, CustomStringConvertible {
  public let reference: String
  public var description: String { "no user \(reference)" }
}
