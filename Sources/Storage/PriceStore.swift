public import Foundation
import GRDB
public import PortfolioCore

/// Reads of prices: the current ones, the one in effect at a moment, and hourly closes.
public struct PriceStore: Sendable {
  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// Every asset's current price.
  public func current() throws -> [AssetKey: StoredPrice] {
    try database.pool.read { db in try Self.current(db) }
  }

  static func current(_ db: Database) throws -> [AssetKey: StoredPrice] {
    var prices: [AssetKey: StoredPrice] = [:]
    for row in try Row.fetchAll(db, sql: "SELECT * FROM prices") {
      guard let price = Self.price(row) else { continue }
      prices[price.asset] = price
    }
    return prices
  }

  /// The assets some wallet holds a non-zero amount of: the ones worth a price.
  public func heldAssets() throws -> [AssetKey] {
    try database.pool.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT DISTINCT w.chain, b.token FROM balances b JOIN wallets w ON w.id = b.wallet_id
          WHERE b.raw != '0' ORDER BY w.chain, b.token
          """
      ).map { AssetKey(chain: ChainName(rawValue: $0[0]), token: $0[1]) }
    }
  }

  /// The price each change's asset had when it happened, by the change's `seq`.
  public func prices(of changes: [BalanceChange]) throws -> [Int64: StoredPrice] {
    guard !changes.isEmpty else { return [:] }
    return try database.pool.read { db in try Self.prices(of: changes, db) }
  }

  static func prices(of changes: [BalanceChange], _ db: Database) throws -> [Int64: StoredPrice] {
    var lookup = try PriceLookup(db)
    var prices: [Int64: StoredPrice] = [:]
    for change in changes {
      let asset = AssetKey(chain: change.chain, token: change.token)
      if let price = try lookup.price(of: asset, at: change.at) { prices[change.seq] = price }
    }
    return prices
  }

  /// Each priced asset's closes from `firstHour` through `lastHour`, with the price before.
  public func closes(fromHour firstHour: Int64, throughHour lastHour: Int64) throws -> [AssetKey: PriceCloses]
  {
    try database.pool.read { db in
      var result: [AssetKey: PriceCloses] = [:]
      let opening = try db.cachedStatement(
        sql:
          "SELECT price FROM price_hours WHERE chain = ? AND token = ? AND hour < ? ORDER BY hour DESC LIMIT 1"
      )
      let assets = try Row.fetchAll(db, sql: "SELECT DISTINCT chain, token FROM price_hours")
      for asset in assets {
        let chain: String = asset[0]
        let token: String = asset[1]
        var closes: [PriceClose] = []
        let rows = try Row.fetchCursor(
          db,
          sql:
            "SELECT hour, price FROM price_hours WHERE chain = ? AND token = ? AND hour BETWEEN ? AND ? ORDER BY hour",
          arguments: [chain, token, firstHour, lastHour])
        while let row = try rows.next() {
          closes.append(PriceClose(hour: row[0], price: (row[1] as String?).flatMap { USDPrice(text: $0) }))
        }
        let before = try String.fetchOne(opening, arguments: [chain, token, firstHour])
        result[AssetKey(chain: ChainName(rawValue: chain), token: token)] = PriceCloses(
          opening: before.flatMap { USDPrice(text: $0) }, closes: closes)
      }
      return result
    }
  }

  static func price(_ row: Row) -> StoredPrice? {
    guard let text: String = row["price"], let price = USDPrice(text: text),
      let source = PriceSourceKind(rawValue: row["source"])
    else { return nil }
    return StoredPrice(
      asset: AssetKey(chain: ChainName(rawValue: row["chain"]), token: row["token"]), price: price,
      source: source, sourceAt: Date(millisecondsSince1970: row["source_at"]),
      at: Date(millisecondsSince1970: row["at"]))
  }
}

/// The price of an asset in effect at a moment, from the history; remembers answers, since
/// the changes of one read share their assets and time.
struct PriceLookup {
  private let statement: Statement
  private var known: [Key: StoredPrice?] = [:]

  private struct Key: Hashable {
    let asset: AssetKey
    let at: Int64
  }

  init(_ db: Database) throws {
    statement = try db.cachedStatement(
      sql: """
        SELECT chain, token, price, source, source_at, at FROM price_history
        WHERE chain = ? AND token = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1
        """)
  }

  mutating func price(of asset: AssetKey, at date: Date) throws -> StoredPrice? {
    let key = Key(asset: asset, at: date.millisecondsSince1970)
    if let answer = known[key] { return answer }
    let row = try Row.fetchOne(statement, arguments: [asset.chain, asset.storedToken, key.at])
    let answer = row.flatMap(PriceStore.price)
    known[key] = answer
    return answer
  }
}

extension PriceStore {
  /// The price moves pushed to subscribers after `seq`, by the `seq` they took, oldest first,
  /// at most `limit` of those `seq`s: what `value.changed` events are made of.
  public func pushedMoves(after seq: Int64, limit: Int) throws -> [(seq: Int64, moves: [PriceMove], at: Date)] {
    try database.pool.read { db in
      var result: [(seq: Int64, moves: [PriceMove], at: Date)] = []
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM price_history WHERE seq IN (
            SELECT DISTINCT seq FROM price_history WHERE seq > ? ORDER BY seq LIMIT ?)
          ORDER BY seq, chain, token
          """, arguments: [seq, limit])
      for row in rows {
        let asset = AssetKey(chain: ChainName(rawValue: row["chain"]), token: row["token"])
        let at = Date(millisecondsSince1970: row["at"])
        let price: StoredPrice? = Self.price(row)
        let move = PriceMove(asset: asset, old: nil, new: price, pushed: true)
        let rowSeq: Int64 = row["seq"]
        if result.last?.seq == rowSeq {
          result[result.count - 1].moves.append(move)
        } else {
          result.append((rowSeq, [move], at))
        }
      }
      return result
    }
  }
}
