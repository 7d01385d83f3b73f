public import Foundation
import GRDB
public import PortfolioCore

/// One asset's current balance in one wallet, as stored.
public struct StoredBalance: Sendable, Hashable {
  public var walletID: UUID
  /// nil for the chain's native coin.
  public var token: String?
  public var symbol: String
  public var decimals: UInt8
  public var raw: BaseUnits
  /// Block (EVM) or slot (Solana) it was read at.
  public var block: UInt64?
  public var updatedAt: Date

  public init(
    walletID: UUID, token: String?, symbol: String, decimals: UInt8, raw: BaseUnits, block: UInt64?,
    updatedAt: Date
  ) {
    self.walletID = walletID
    self.token = token
    self.symbol = symbol
    self.decimals = decimals
    self.raw = raw
    self.block = block
    self.updatedAt = updatedAt
  }
}

/// A balance that moved, as the change log keeps it.
public struct BalanceChange: Sendable, Hashable {
  public var seq: Int64
  public var walletID: UUID
  /// The wallet's user: only they are told of the change.
  public var owner: UserID
  public var chain: ChainName
  public var token: String?
  public var symbol: String
  public var decimals: UInt8
  public var rawOld: BaseUnits
  public var rawNew: BaseUnits
  public var block: UInt64?
  public var at: Date
}

/// An amount in the database that is not a base-unit integer below 2^256: the file was changed
/// by something else. Surfaced rather than read as zero.
public struct UnreadableAmount: Error, CustomStringConvertible, Sendable {
  public let walletID: String
  public let asset: String
  public let raw: String
  public var description: String {
    "the stored \(asset) amount of wallet \(walletID) is not a base-unit integer: '\(raw.prefix(100))'"
  }

  /// The amount stored as `text`, or this error.
  static func amount(_ text: String, wallet: String, asset: String) throws(UnreadableAmount) -> BaseUnits {
    guard let amount = BaseUnits(text: text) else {
      throw UnreadableAmount(walletID: wallet, asset: asset, raw: text)
    }
    return amount
  }
}

/// Current balances and the change log, written together.
public struct BalanceStore: Sendable {
  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// Every stored balance, with its wallet's chain: what the portfolio totals add up.
  public func allBalances() throws -> [(chain: ChainName, balance: StoredBalance)] {
    try database.pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT w.chain AS chain, b.* FROM balances b JOIN wallets w ON w.id = b.wallet_id
          ORDER BY w.created_at, w.id, b.token = '' DESC, b.symbol
          """
      ).compactMap { row in
        guard let walletID = UUID(uuidString: row["wallet_id"]) else { return nil }
        return (row["chain"], try Self.balance(row, walletID: walletID))
      }
    }
  }

  /// The tokens each wallet has a stored balance of (the native coin left out), in one read.
  public func storedTokens(of walletIDs: [UUID]) throws -> [UUID: [String]] {
    let keys = Set(walletIDs.map { $0.uuidString.lowercased() })
    return try database.pool.read { db in
      var tokens: [UUID: [String]] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT wallet_id, token FROM balances WHERE token != ''") {
        let key: String = row["wallet_id"]
        guard keys.contains(key), let id = UUID(uuidString: key) else { continue }
        tokens[id, default: []].append(row["token"])
      }
      return tokens
    }
  }

  /// The balances of these wallets, with each wallet's chain; wallets without any are left out.
  static func balances(_ db: Database, ofWallets ids: Set<UUID>) throws -> [UUID: (
    chain: ChainName, balances: [StoredBalance]
  )] {
    var result: [UUID: (chain: ChainName, balances: [StoredBalance])] = [:]
    try forEachRow(
      db,
      "SELECT w.chain AS chain, b.* FROM balances b JOIN wallets w ON w.id = b.wallet_id WHERE b.wallet_id IN",
      ids
    ) { row in
      guard let id = UUID(uuidString: row["wallet_id"]) else { return }
      let balance = try Self.balance(row, walletID: id)
      if result[id] == nil { result[id] = (row["chain"], []) }
      result[id]?.balances.append(balance)
    }
    for id in result.keys {
      // As `balances(walletID:)` orders them: the native coin first, then by symbol.
      result[id]?.balances.sort {
        ($0.token == nil ? 0 : 1, $0.symbol, $0.token ?? "") < (
          $1.token == nil ? 0 : 1, $1.symbol, $1.token ?? ""
        )
      }
    }
    return result
  }

  public func balances(walletID: UUID) throws -> [StoredBalance] {
    try database.pool.read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM balances WHERE wallet_id = ? ORDER BY token = '' DESC, symbol, token",
        arguments: [walletID.uuidString.lowercased()]
      ).map { try Self.balance($0, walletID: walletID) }
    }
  }

  /// Stores a fresh reading of some wallets in one transaction. Every balance that differs from
  /// the stored one gets a change-log row; an asset seen for the first time changes from "0".
  /// Zero token balances never seen before are not stored. Returns the changes in `seq` order.
  public func apply(chain: ChainName, readings: [StoredBalance]) throws -> [BalanceChange] {
    try database.write { db in try Self.apply(db, chain: chain, readings: readings) }
  }

  /// `apply` inside the caller's transaction.
  static func apply(_ db: Database, chain: ChainName, readings: [StoredBalance]) throws -> [BalanceChange] {
    let walletIDs = Set(readings.map(\.walletID))
    let previous = try Self.storedRaws(db, of: walletIDs)
    // A wallet removed while it was being read is skipped, not an error for the whole slice.
    let owners = try Self.owners(db, of: walletIDs)
    // Statements are compiled once per transaction: a cycle writes thousands of rows.
    let upsert = try db.cachedStatement(
      sql: """
        INSERT INTO balances (wallet_id, token, symbol, decimals, raw, block, updated_at, changed_seq, changed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (wallet_id, token) DO UPDATE SET symbol = excluded.symbol, decimals = excluded.decimals,
          raw = excluded.raw, block = excluded.block, updated_at = excluded.updated_at,
          changed_seq = coalesce(excluded.changed_seq, balances.changed_seq),
          changed_at = coalesce(excluded.changed_at, balances.changed_at)
        """)
    let log = try db.cachedStatement(
      sql: """
        INSERT INTO changes (wallet_id, chain, token, symbol, decimals, raw_old, raw_new, block, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
    var changes: [BalanceChange] = []
    var totals = HourlyTotalsBatch()
    // A wallet's readings come together: its key is made once, not once per asset.
    var lastWallet: (id: UUID, key: String)?
    for reading in readings {
      let walletKey: String
      if let lastWallet, lastWallet.id == reading.walletID {
        walletKey = lastWallet.key
      } else {
        walletKey = reading.walletID.uuidString.lowercased()
        lastWallet = (reading.walletID, walletKey)
      }
      guard let owner = owners[walletKey] else { continue }
      let tokenKey = reading.token ?? ""
      let stored = previous[StoredKey(wallet: walletKey, token: tokenKey)]
      if stored == nil && reading.raw.isZero && reading.token != nil { continue }
      let at = reading.updatedAt.millisecondsSince1970
      let block = reading.block.map { Int64(clamping: $0) }
      let old = stored ?? "0"
      // The change is logged first, so the balance can name it.
      var changedSeq: Int64?
      if old != reading.raw.text {
        try log.execute(arguments: [
          walletKey, chain, tokenKey, reading.symbol, Int(reading.decimals), old, reading.raw.text, block, at,
        ])
        changedSeq = db.lastInsertedRowID
      }
      try upsert.execute(arguments: [
        walletKey, tokenKey, reading.symbol, Int(reading.decimals), reading.raw.text, block, at, changedSeq,
        changedSeq.map { _ in at },
      ])
      guard let changedSeq else { continue }
      totals.add(
        owner: owner.rawValue, chain: chain.rawValue, token: tokenKey, symbol: reading.symbol,
        decimals: Int(reading.decimals),
        rawOld: old,
        rawNew: reading.raw.text, at: at)
      changes.append(
        BalanceChange(
          seq: changedSeq, walletID: reading.walletID, owner: owner, chain: chain,
          token: reading.token,
          symbol: reading.symbol, decimals: reading.decimals,
          rawOld: try UnreadableAmount.amount(old, wallet: walletKey, asset: reading.symbol),
          rawNew: reading.raw,
          block: reading.block, at: reading.updatedAt))
    }
    try totals.write(db)
    return changes
  }

  private struct StoredKey: Hashable {
    let wallet: String
    let token: String
  }

  /// The stored raw amounts of these wallets, in one query rather than one per balance.
  private static func storedRaws(_ db: Database, of walletIDs: Set<UUID>) throws -> [StoredKey: String] {
    var raws: [StoredKey: String] = [:]
    try forEachRow(db, "SELECT wallet_id, token, raw FROM balances WHERE wallet_id IN", walletIDs) { row in
      raws[StoredKey(wallet: row[0], token: row[1])] = row[2]
    }
    return raws
  }

  /// The users of these wallets, by wallet key; a wallet that no longer exists is left out.
  private static func owners(_ db: Database, of walletIDs: Set<UUID>) throws -> [String: UserID] {
    var owners: [String: UserID] = [:]
    try forEachRow(db, "SELECT id, user_id FROM wallets WHERE id IN", walletIDs) { row in
      owners[row[0]] = row[1]
    }
    return owners
  }

  /// Runs `query` with an `IN (...)` list of the wallets' keys, in slices: bound parameters per
  /// statement are limited.
  private static func forEachRow(
    _ db: Database, _ query: String, _ walletIDs: Set<UUID>, _ body: (Row) throws -> Void
  ) throws {
    let keys = walletIDs.map { $0.uuidString.lowercased() }
    for start in stride(from: 0, to: keys.count, by: 500) {
      let slice = Array(keys[start..<min(start + 500, keys.count)])
      let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
      let rows = try Row.fetchCursor(db, sql: "\(query) (\(marks))", arguments: StatementArguments(slice))
      while let row = try rows.next() { try body(row) }
    }
  }

  static func balance(_ row: Row, walletID: UUID) throws -> StoredBalance {
    let token: String = row["token"]
    let block: Int64? = row["block"]
    let symbol: String = row["symbol"]
    return StoredBalance(
      walletID: walletID, token: token.isEmpty ? nil : token, symbol: symbol,
      decimals: UInt8(clamping: row["decimals"] as Int),
      raw: try UnreadableAmount.amount(row["raw"], wallet: row["wallet_id"], asset: symbol),
      block: block.map { UInt64($0) }, updatedAt: Date(millisecondsSince1970: row["updated_at"]))
  }

}
