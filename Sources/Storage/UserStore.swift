public import Foundation
import GRDB
public import PortfolioCore

/// Reads and writes users. Removing one removes their wallets, with their history, and their
/// access tokens.
public struct UserStore: Sendable {
  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  public func create(name: String, at time: Date = Date()) throws -> User {
    guard User.isValidName(name) else { throw InvalidUserName(name: name) }
    return try database.write { db in
      if let existing = try Self.user(named: name, db) { throw UserExists(name: existing.name) }
      try db.execute(
        sql: "INSERT INTO users (name, created_at) VALUES (?, ?)",
        arguments: [name, time.millisecondsSince1970])
      return User(id: UserID(db.lastInsertedRowID), name: name, createdAt: time)
    }
  }

  /// Every user, oldest first.
  public func all() throws -> [User] {
    try database.pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY id").map(Self.user)
    }
  }

  public func user(named name: String) throws -> User? {
    try database.pool.read { db in try Self.user(named: name, db) }
  }

  public func user(id: UserID) throws -> User? {
    try database.pool.read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.user)
    }
  }

  /// The oldest user: whom requests act for where the server does not ask who is calling.
  public func firstUser() throws -> User? {
    try database.pool.read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM users ORDER BY id LIMIT 1").map(Self.user)
    }
  }

  /// How many wallets and live access tokens each user has, by user.
  public func counts(at time: Date = Date()) throws -> [UserID: (wallets: Int, tokens: Int)] {
    try database.pool.read { db in
      var counts: [UserID: (wallets: Int, tokens: Int)] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT user_id, count(*) FROM wallets GROUP BY user_id") {
        counts[row[0], default: (0, 0)].wallets = row[1]
      }
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT user_id, count(*) FROM access_tokens
          WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) GROUP BY user_id
          """, arguments: [time.millisecondsSince1970])
      {
        counts[row[0], default: (0, 0)].tokens = row[1]
      }
      return counts
    }
  }

  /// Removes the user outside the change feed (the command line); false when there was none.
  /// A running server's stream subscribers learn of the removed wallets when they resume.
  public func delete(id: UserID) throws -> Bool {
    try database.writeEvents { transaction in try transaction.removeUser(id) != nil }
  }

  static func user(named name: String, _ db: Database) throws -> User? {
    try Row.fetchOne(db, sql: "SELECT * FROM users WHERE name = ? COLLATE NOCASE", arguments: [name]).map(
      user)
  }

  static func user(_ row: Row) -> User {
    User(id: row["id"], name: row["name"], createdAt: Date(millisecondsSince1970: row["created_at"]))
  }
}

extension EventTransaction {
  /// Removes the user's wallets one by one (each logs `wallet_removed` and leaves the hourly
  /// rollup), then the user with their tokens. nil when there is no such user.
  public func removeUser(_ id: UserID) throws -> [FeedEvent]? {
    guard try Row.fetchOne(db, sql: "SELECT id FROM users WHERE id = ?", arguments: [id]) != nil else {
      return nil
    }
    let walletIDs = try String.fetchAll(db, sql: "SELECT id FROM wallets WHERE user_id = ?", arguments: [id])
    var events: [FeedEvent] = []
    for key in walletIDs {
      guard let walletID = UUID(uuidString: key), let event = try removeWallet(id: walletID, owner: id) else {
        continue
      }
      events.append(event)
    }
    try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id])
    return events
  }
}
