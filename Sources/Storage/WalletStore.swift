public import Foundation
import GRDB
public import PortfolioCore

/// Adding a wallet whose chain and address its user tracks already.
public struct WalletExists: Error, Sendable {
  public let existing: Wallet
}

/// One page of wallets and where the next one starts.
public struct WalletPage: Sendable {
  public let wallets: [Wallet]
  /// Pass back as `after` for the next page; nil on the last page.
  public let nextCursor: WalletCursor?
}

/// A position in the wallet list, ordered by creation time then id.
public struct WalletCursor: Sendable, Equatable {
  public let createdAt: Int64
  public let id: String

  public init(createdAt: Int64, id: String) {
    self.createdAt = createdAt
    self.id = id
  }
}

/// Reads and writes wallets.
public struct WalletStore: Sendable {
  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// Inserts the wallet and logs its `wallet_added`; throws `WalletExists` when its chain and
  /// address are taken. The server adds wallets through its change feed, which also publishes.
  public func add(_ wallet: Wallet) throws -> Wallet {
    try database.writeEvents { transaction in
      guard case .walletAdded(_, let stored) = try transaction.addWallet(wallet) else { return wallet }
      return stored
    }
  }

  /// Inserts many wallets in one transaction: all of them, or none when one is taken.
  public func addAll(_ wallets: [Wallet]) throws {
    try database.writeEvents { transaction in
      for wallet in wallets { _ = try transaction.addWallet(wallet) }
    }
  }

  public func wallet(id: UUID) throws -> Wallet? {
    try database.pool.read { db in
      try WalletRecord.fetchOne(db, key: id.uuidString.lowercased())?.wallet
    }
  }

  /// The wallet when it is `owner`'s: another user's wallet is as unknown as a missing one.
  public func wallet(id: UUID, owner: UserID) throws -> Wallet? {
    try wallet(id: id).flatMap { $0.owner == owner ? $0 : nil }
  }

  /// The user's wallets in creation order, `limit` at a time, optionally on one chain.
  public func list(owner: UserID, limit: Int, after cursor: WalletCursor?, chain: ChainName? = nil) throws
    -> WalletPage
  {
    try database.pool.read { db in
      var request = WalletRecord.filter(Column("user_id") == owner).order(Column("created_at"), Column("id"))
      if let chain { request = request.filter(Column("chain") == chain) }
      if let cursor {
        request = request.filter(
          Column("created_at") > cursor.createdAt
            || (Column("created_at") == cursor.createdAt && Column("id") > cursor.id))
      }
      let records = try request.limit(limit + 1).fetchAll(db)
      let page = records.prefix(limit)
      let next =
        records.count > limit
        ? page.last.map {
          WalletCursor(createdAt: $0.createdAt, id: $0.id)
        } : nil
      return WalletPage(wallets: page.compactMap(\.wallet), nextCursor: next)
    }
  }

  /// Sets or clears the label; nil when the user has no such wallet.
  public func relabel(id: UUID, owner: UserID, label: String?, at time: Date) throws -> Wallet? {
    try database.write { db in
      guard var record = try WalletRecord.fetchOne(db, key: id.uuidString.lowercased()), record.owner == owner
      else {
        return nil
      }
      record.label = label
      record.updatedAt = time.millisecondsSince1970
      try record.update(db)
      return record.wallet
    }
  }

  /// Removes the wallet with its balances and history and logs `wallet_removed`; false when
  /// it did not exist.
  public func delete(id: UUID, owner: UserID) throws -> Bool {
    try database.writeEvents { transaction in try transaction.removeWallet(id: id, owner: owner) != nil }
  }

  /// Every wallet, of one chain or all, in creation order.
  public func all(chain: ChainName? = nil) throws -> [Wallet] {
    try database.pool.read { db in
      var request = WalletRecord.order(Column("created_at"), Column("id"))
      if let chain { request = request.filter(Column("chain") == chain) }
      return try request.fetchAll(db).compactMap(\.wallet)
    }
  }

  /// How many wallets the user has, or the server when `owner` is nil.
  public func count(owner: UserID? = nil) throws -> Int {
    try database.pool.read { db in
      guard let owner else { return try WalletRecord.fetchCount(db) }
      return try WalletRecord.filter(Column("user_id") == owner).fetchCount(db)
    }
  }

  /// How many wallets each chain tracks, in one query.
  public func countByChain() throws -> [ChainName: Int] {
    try database.pool.read { db in
      var counts: [ChainName: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT chain, count(*) FROM wallets GROUP BY chain") {
        counts[row[0]] = row[1]
      }
      return counts
    }
  }
}
