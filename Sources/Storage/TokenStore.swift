public import Foundation
import GRDB
public import PortfolioCore

/// A token the server knows: where it lives, how to show it, and why it is tracked.
public struct TrackedToken: Sendable, Hashable {
  public enum Source: String, Sendable {
    /// From the token list in config/.
    case list
    /// Added through `POST /api/v1/tokens`.
    case user
    /// Seen in a wallet (a Solana mint, say); only its metadata is kept.
    case metadata
  }

  public var chain: ChainName
  /// Canonical: EIP-55 or base58.
  public var address: String
  public var symbol: String
  public var decimals: UInt8
  public var source: Source
  public var addedAt: Date

  public init(
    chain: ChainName, address: String, symbol: String, decimals: UInt8, source: Source, addedAt: Date
  ) {
    self.chain = chain
    self.address = address
    self.symbol = symbol
    self.decimals = decimals
    self.source = source
    self.addedAt = addedAt
  }
}

/// The `tokens` table.
public struct TokenStore: Sendable {
  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// Inserts or replaces; a user addition upgrades a metadata-only row.
  public func save(_ token: TrackedToken) throws {
    try database.write { db in
      try db.execute(
        sql: """
          INSERT INTO tokens (chain, address, symbol, decimals, source, added_at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (chain, address) DO UPDATE SET symbol = excluded.symbol, decimals = excluded.decimals,
            source = CASE WHEN tokens.source = 'user' THEN 'user' ELSE excluded.source END
          """,
        arguments: [
          token.chain, token.address, token.symbol, Int(token.decimals), token.source.rawValue,
          token.addedAt.millisecondsSince1970,
        ])
    }
  }

  public func tokens(chain: ChainName? = nil, source: TrackedToken.Source? = nil) throws -> [TrackedToken] {
    try database.pool.read { db in
      var sql = "SELECT chain, address, symbol, decimals, source, added_at FROM tokens WHERE 1"
      var arguments: StatementArguments = []
      if let chain {
        sql += " AND chain = ?"
        arguments += [chain]
      }
      if let source {
        sql += " AND source = ?"
        arguments += [source.rawValue]
      }
      sql += " ORDER BY chain, added_at, address"
      return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row in
        guard let source = TrackedToken.Source(rawValue: row["source"]) else { return nil }
        return TrackedToken(
          chain: row["chain"], address: row["address"], symbol: row["symbol"],
          decimals: UInt8(clamping: row["decimals"] as Int), source: source,
          addedAt: Date(millisecondsSince1970: row["added_at"]))
      }
    }
  }

  public func token(chain: ChainName, address: String) throws -> TrackedToken? {
    try tokens(chain: chain).first { $0.address == address }
  }

  /// Stops tracking a user-added token; false when there was none.
  public func removeUserToken(chain: ChainName, address: String) throws -> Bool {
    try database.write { db in
      try db.execute(
        sql: "DELETE FROM tokens WHERE chain = ? AND address = ? AND source = 'user'",
        arguments: [chain, address])
      return db.changesCount > 0
    }
  }
}
