import BigInt
public import Foundation
import GRDB
public import PortfolioCore

/// A user's holdings, and the prices in effect, at one point of the log.
public struct PortfolioPoint: Sendable {
  public let seq: Int64
  /// Every asset's total over the user's wallets as of `seq`, ordered as `AssetTotals` orders them.
  public let assets: [AssetTotal]
  /// The price of each of those assets at the point's time; an asset left out was unpriced.
  public let prices: [AssetKey: StoredPrice]
}

/// What a user's portfolio was at past points of the log, so an event made at a `seq` carries
/// the same value however late it is read. An amount as of a `seq` is the one set by its last
/// change up to there (a wallet removed since left the log with its changes, so it counts
/// nowhere), and its `oldestUpdate` the time of that change, since the log keeps only readings
/// that changed something; a price is the one in effect at the point's time. Symbols and
/// decimals are the assets' as known now.
public struct PortfolioAsOf: Sendable {
  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// `owner`'s portfolio at each point, all after `cursor`, by `seq`. One read, whatever the
  /// number of points: SQLite sums the amounts as of `cursor`, then the user's changes after it
  /// are applied here in `seq` order. Balances those changes touch are kept one by one, the
  /// others only as sums.
  public func points(owner: UserID, after cursor: Int64, at points: [(seq: Int64, at: Date)]) throws
    -> [Int64: PortfolioPoint]
  {
    let points = points.sorted { $0.seq < $1.seq }
    guard let last = points.last?.seq else { return [:] }
    return try database.pool.read { db in
      let changes = try Self.changes(db, owner: owner, after: cursor, through: last)
      let movingKeys = Set(changes.map(\.key))
      var (settled, moving) = try Self.holdings(db, owner: owner, asOf: cursor)
      // Balances changed since `cursor` but not through `last` are as settled as the others.
      for (key, balance) in moving where !movingKeys.contains(key) {
        settled[balance.asset] = Self.adding(balance, to: settled[balance.asset])
        moving[key] = nil
      }
      var lookup = try PriceLookup(db)
      var result: [Int64: PortfolioPoint] = [:]
      var next = changes.startIndex
      for point in points {
        while next < changes.endIndex, changes[next].seq <= point.seq {
          moving[changes[next].key] = changes[next].balance
          next += 1
        }
        var totals = settled
        for balance in moving.values {
          totals[balance.asset] = Self.adding(balance, to: totals[balance.asset])
        }
        let assets = totals.values.sorted { $0.asset < $1.asset }
        var prices: [AssetKey: StoredPrice] = [:]
        for total in assets {
          if let price = try lookup.price(of: total.asset, at: point.at) { prices[total.asset] = price }
        }
        result[point.seq] = PortfolioPoint(seq: point.seq, assets: assets, prices: prices)
      }
      return result
    }
  }

  struct BalanceKey: Hashable {
    let wallet: UUID
    let token: String
  }

  /// The user's changes after `cursor` through `last`, each as the one balance it leaves.
  static func changes(_ db: Database, owner: UserID, after cursor: Int64, through last: Int64) throws
    -> [(seq: Int64, key: BalanceKey, balance: AssetTotal)]
  {
    try Row.fetchAll(
      db,
      sql: """
        SELECT c.seq, c.wallet_id, c.chain, c.token, c.raw_new, c.at, b.symbol, b.decimals
        FROM changes c JOIN wallets w ON w.id = c.wallet_id
        JOIN balances b ON b.wallet_id = c.wallet_id AND b.token = c.token
        WHERE c.seq > ? AND c.seq <= ? AND w.user_id = ? ORDER BY c.seq
        """,
      arguments: [cursor, last, owner]
    ).compactMap { row in
      let wallet: String = row["wallet_id"]
      guard let id = UUID(uuidString: wallet) else { return nil }
      let token: String = row["token"]
      let symbol: String = row["symbol"]
      let raw = try UnreadableAmount.amount(row["raw_new"], wallet: wallet, asset: symbol)
      let balance = AssetTotal(
        asset: AssetKey(chain: ChainName(rawValue: row["chain"]), token: token), symbol: symbol,
        decimals: UInt8(clamping: row["decimals"] as Int), raw: raw.value, wallets: raw.isZero ? 0 : 1,
        oldestUpdate: Date(millisecondsSince1970: row["at"]))
      return (row["seq"], BalanceKey(wallet: id, token: token), balance)
    }
  }

  /// The user's amounts as of `cursor`: summed per asset for balances unchanged since, one by
  /// one for those changed since (an amount the log did not have yet is left out).
  static func holdings(_ db: Database, owner: UserID, asOf cursor: Int64) throws
    -> (settled: [AssetKey: AssetTotal], since: [BalanceKey: AssetTotal])
  {
    let arguments: StatementArguments = ["cursor": cursor, "owner": owner]
    var limbs = AssetTotals.usualLimbs
    var rows = try Row.fetchAll(db, sql: query(limbs: limbs), arguments: arguments)
    // Some amount has more digits than the usual limbs hold: sum them all.
    if rows.contains(where: { ($0[6] as Int64?) ?? 0 > 0 }) {
      limbs = AssetTotals.allLimbs
      rows = try Row.fetchAll(db, sql: query(limbs: limbs), arguments: arguments)
    }
    var settled: [AssetKey: AssetTotal] = [:]
    var since: [BalanceKey: AssetTotal] = [:]
    for row in rows {
      let total = AssetTotals.total(row, limbs: limbs)
      if let wallet = (row[7 + limbs] as String?).flatMap(UUID.init(uuidString:)) {
        since[BalanceKey(wallet: wallet, token: total.asset.storedToken)] = total
      } else {
        settled[total.asset] = total
      }
    }
    return (settled, since)
  }

  /// `AssetTotals.query`'s rows as of `cursor`: a balance unchanged since counts as it is
  /// (`changed_seq`, `changed_at` name the change that set it); one changed since (or written
  /// without them) counts as its last change up to `cursor` left it, found through
  /// `changes_by_wallet`, in a row of its own whose last column names the wallet.
  static func query(limbs: Int) -> String {
    """
    WITH held (chain, token, symbol, decimals, raw, at, since) AS (
      SELECT w.chain, b.token, b.symbol, b.decimals,
        CASE WHEN b.changed_seq <= :cursor THEN b.raw ELSE c.raw_new END,
        CASE WHEN b.changed_seq <= :cursor THEN b.changed_at ELSE c.at END,
        CASE WHEN b.changed_seq <= :cursor THEN NULL ELSE b.wallet_id END
      FROM balances b JOIN wallets w ON w.id = b.wallet_id
      LEFT JOIN changes c ON c.seq = CASE WHEN b.changed_seq <= :cursor THEN NULL ELSE (
        SELECT seq FROM changes WHERE wallet_id = b.wallet_id AND token = b.token AND seq <= :cursor
        ORDER BY seq DESC LIMIT 1) END
      WHERE w.user_id = :owner AND (b.changed_seq <= :cursor OR c.seq IS NOT NULL))
    SELECT chain, token, MAX(symbol), MAX(decimals), SUM(raw != '0'), MIN(at),
      SUM(length(raw) > \(limbs * AssetTotals.limbDigits)), \(AssetTotals.limbSums("raw", limbs: limbs)), since
    FROM held GROUP BY chain, token, since
    """
  }

  /// An asset's total with one more balance, or sum, added, as SQLite sums them.
  static func adding(_ balance: AssetTotal, to total: AssetTotal?) -> AssetTotal {
    guard var total else { return balance }
    total.raw += balance.raw
    total.wallets += balance.wallets
    total.oldestUpdate = min(total.oldestUpdate, balance.oldestUpdate)
    total.symbol = max(total.symbol, balance.symbol)
    total.decimals = max(total.decimals, balance.decimals)
    return total
  }
}
