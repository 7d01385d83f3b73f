public import BigInt
public import Foundation
import GRDB
public import PortfolioCore

/// One asset's total over a set of wallets.
public struct AssetTotal: Sendable, Hashable {
  public var asset: AssetKey
  public var symbol: String
  public var decimals: UInt8
  public var raw: BigUInt
  /// Wallets holding a non-zero amount.
  public var wallets: Int
  /// The oldest reading among its balances.
  public var oldestUpdate: Date

  public init(
    asset: AssetKey, symbol: String, decimals: UInt8, raw: BigUInt, wallets: Int, oldestUpdate: Date
  ) {
    self.asset = asset
    self.symbol = symbol
    self.decimals = decimals
    self.raw = raw
    self.wallets = wallets
    self.oldestUpdate = oldestUpdate
  }

  /// Totals of balances with their wallets' chains, summed here.
  public static func sum(_ balances: [(chain: ChainName, balance: StoredBalance)]) -> [AssetTotal] {
    var totals: [AssetKey: AssetTotal] = [:]
    for (chain, balance) in balances {
      let key = AssetKey(chain: chain, token: balance.token)
      let raw = balance.raw.value
      let holds = raw > 0 ? 1 : 0
      if var total = totals[key] {
        total.raw += raw
        total.wallets += holds
        total.oldestUpdate = min(total.oldestUpdate, balance.updatedAt)
        // As SQLite's MAX picks them, should wallets disagree.
        total.symbol = max(total.symbol, balance.symbol)
        total.decimals = max(total.decimals, balance.decimals)
        totals[key] = total
      } else {
        totals[key] = AssetTotal(
          asset: key, symbol: balance.symbol, decimals: balance.decimals, raw: raw, wallets: holds,
          oldestUpdate: balance.updatedAt)
      }
    }
    return totals.values.sorted { $0.asset < $1.asset }
  }
}

/// Every asset's total over every wallet, summed by SQLite: a poll cycle's 200,000 balances are
/// not brought into Swift one by one. Amounts are text of up to 78 digits, beyond SQLite's
/// integers, so each is cut into 9-digit limbs that are summed separately (10,000 wallets of
/// 10^9 - 1 each stay far below 2^63) and put together exactly here. The cost is a scan of the
/// balances: about 0.5 s at 210,000 of them, done when prices move and once per commit for
/// `GET /api/v1/portfolio`, not per request.
public struct AssetTotals: Sendable {
  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// Totals over one user's wallets, or every wallet's when `owner` is nil.
  public func current(owner: UserID?) throws -> [AssetTotal] {
    try database.pool.read { db in try Self.current(db, owner: owner) }
  }

  /// 9 limbs of 9 digits cover 2^256; amounts of up to 27 digits (10^9 whole tokens of 18
  /// decimals), nearly all of them, need 3, and summing fewer limbs is a third faster.
  static let limbDigits = 9
  static let allLimbs = 9
  static let usualLimbs = 3

  /// Rows of: chain, token, symbol, decimals, wallets holding some, oldest update, amounts
  /// longer than the limbs, then the limbs' sums (`total` reads them).
  static func query(limbs: Int, ofOneUser: Bool) -> String {
    """
    SELECT w.chain, b.token, MAX(b.symbol), MAX(b.decimals), SUM(b.raw != '0'), MIN(b.updated_at),
      SUM(length(b.raw) > \(limbs * limbDigits)), \(limbSums("b.raw", limbs: limbs))
    FROM balances b JOIN wallets w ON w.id = b.wallet_id\(ofOneUser ? " WHERE w.user_id = ?" : "")
    GROUP BY w.chain, b.token ORDER BY w.chain, b.token != '', b.token
    """
  }

  /// The sums of each 9-digit limb of the amounts in `column`, lowest first.
  static func limbSums(_ column: String, limbs: Int) -> String {
    (0..<limbs).map { index in
      "SUM(CAST(substr(\(column), \(-(index + 1) * limbDigits), \(limbDigits)) AS INTEGER))"
    }.joined(separator: ", ")
  }

  static func current(_ db: Database, owner: UserID?) throws -> [AssetTotal] {
    let arguments: StatementArguments = owner.map { [$0] } ?? []
    let rows = try Row.fetchAll(
      db, sql: query(limbs: usualLimbs, ofOneUser: owner != nil), arguments: arguments)
    // Some amount has more digits than the usual limbs hold: sum them all.
    if rows.contains(where: { ($0[6] as Int64?) ?? 0 > 0 }) {
      return try totals(
        Row.fetchAll(db, sql: query(limbs: allLimbs, ofOneUser: owner != nil), arguments: arguments),
        limbs: allLimbs)
    }
    return totals(rows, limbs: usualLimbs)
  }

  private static func totals(_ rows: [Row], limbs: Int) -> [AssetTotal] {
    rows.map { total($0, limbs: limbs) }
  }

  /// One row of `query`'s shape, its limbs put together exactly.
  static func total(_ row: Row, limbs: Int) -> AssetTotal {
    let base = BigUInt(10).power(limbDigits)
    var raw = BigUInt(0)
    for index in (0..<limbs).reversed() {
      let limb: Int64 = row[7 + index] ?? 0
      raw = raw * base + BigUInt(max(0, limb))
    }
    return AssetTotal(
      asset: AssetKey(chain: ChainName(rawValue: row[0]), token: row[1]), symbol: row[2],
      decimals: UInt8(clamping: row[3] as Int), raw: raw, wallets: row[4],
      oldestUpdate: Date(millisecondsSince1970: row[5]))
  }
}
