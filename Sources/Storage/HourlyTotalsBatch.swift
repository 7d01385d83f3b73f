import BigInt
import GRDB
import PortfolioCore

/// Moves of the change log gathered per user, asset and hour, then written into the hourly rollup in
/// the caller's transaction, so the rollup never disagrees with the changes it sums.
struct HourlyTotalsBatch {
  private struct Asset: Hashable, Comparable {
    let owner: Int64
    let chain: String
    /// '' for the native coin, as SQLite keeps it.
    let token: String

    static func < (left: Asset, right: Asset) -> Bool {
      (left.owner, left.chain, left.token) < (right.owner, right.chain, right.token)
    }
  }

  private struct Moves {
    var symbol: String
    var decimals: Int
    var count = 0
    var deltaByHour: [Int64: BigInt] = [:]
  }

  private var assets: [Asset: Moves] = [:]

  var isEmpty: Bool { assets.isEmpty }

  /// Counts one change; `removing` takes a change that was counted before back out.
  mutating func add(
    owner: Int64, chain: String, token: String, symbol: String, decimals: Int, rawOld: String, rawNew: String,
    at: Int64,
    removing: Bool = false
  ) {
    let asset = Asset(owner: owner, chain: chain, token: token)
    var moves = assets[asset] ?? Moves(symbol: symbol, decimals: decimals)
    if !removing {
      moves.symbol = symbol
      moves.decimals = decimals
    }
    let delta = BigInt(UInt256Text.parse(rawNew) ?? 0) - BigInt(UInt256Text.parse(rawOld) ?? 0)
    let hour = HourlyTotals.hour(ofMilliseconds: at)
    moves.deltaByHour[hour, default: 0] += removing ? -delta : delta
    moves.count += removing ? -1 : 1
    assets[asset] = moves
  }

  /// Every change, oldest first: how the rollup is built for a database that predates it.
  mutating func addAllChanges(_ db: Database) throws {
    try addChanges(db, filter: "", arguments: [], removing: false)
  }

  /// A wallet's changes taken back out, before the wallet and its changes are deleted.
  mutating func removeChanges(ofWallet walletKey: String, _ db: Database) throws {
    try addChanges(db, filter: "WHERE c.wallet_id = ?", arguments: [walletKey], removing: true)
  }

  private mutating func addChanges(
    _ db: Database, filter: String, arguments: StatementArguments, removing: Bool
  ) throws {
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT w.user_id, c.chain, c.token, c.symbol, c.decimals, c.raw_old, c.raw_new, c.at
        FROM changes c JOIN wallets w ON w.id = c.wallet_id \(filter) ORDER BY c.seq
        """,
      arguments: arguments)
    while let row = try rows.next() {
      add(
        owner: row[0], chain: row[1], token: row[2], symbol: row[3], decimals: row[4], rawOld: row[5],
        rawNew: row[6], at: row[7], removing: removing)
    }
  }

  func write(_ db: Database) throws {
    for asset in assets.keys.sorted() {
      guard let moves = assets[asset] else { continue }
      let remaining = try count(asset, moves, db)
      if remaining <= 0 {
        // No change of this asset is left: it has no history at all.
        try db.execute(
          sql: "DELETE FROM asset_hours WHERE user_id = ? AND chain = ? AND token = ?",
          arguments: [asset.owner, asset.chain, asset.token])
        try db.execute(
          sql: "DELETE FROM history_assets WHERE user_id = ? AND chain = ? AND token = ?",
          arguments: [asset.owner, asset.chain, asset.token])
        continue
      }
      try shift(asset, by: moves.deltaByHour.sorted { $0.key < $1.key }, db)
    }
  }

  /// Updates the asset's row and answers how many changes its history now rests on.
  private func count(_ asset: Asset, _ moves: Moves, _ db: Database) throws -> Int {
    let statement = try db.cachedStatement(
      sql: """
        INSERT INTO history_assets (user_id, chain, token, symbol, decimals, moves) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (user_id, chain, token) DO UPDATE SET moves = moves + excluded.moves,
          symbol = CASE WHEN excluded.moves > 0 THEN excluded.symbol ELSE symbol END,
          decimals = CASE WHEN excluded.moves > 0 THEN excluded.decimals ELSE decimals END
        RETURNING moves
        """)
    return try Int.fetchOne(
      statement,
      arguments: [asset.owner, asset.chain, asset.token, moves.symbol, moves.decimals, moves.count]) ?? 0
  }

  /// Adds each hour's delta to that hour's close and to every later close, in one pass over
  /// the asset's rows from the first hour touched (usually just the current hour).
  private func shift(_ asset: Asset, by deltas: [(key: Int64, value: BigInt)], _ db: Database) throws {
    guard let firstHour = deltas.first?.key else { return }
    let before = try String.fetchOne(
      db.cachedStatement(
        sql:
          """
          SELECT raw FROM asset_hours WHERE user_id = ? AND chain = ? AND token = ? AND hour < ?
          ORDER BY hour DESC LIMIT 1
          """),
      arguments: [asset.owner, asset.chain, asset.token, firstHour])
    let later = try Row.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT hour, raw FROM asset_hours WHERE user_id = ? AND chain = ? AND token = ? AND hour >= ?
          ORDER BY hour
          """),
      arguments: [asset.owner, asset.chain, asset.token, firstHour]
    ).map { (hour: $0[0] as Int64, raw: $0[1] as String) }
    let upsert = try db.cachedStatement(
      sql: """
        INSERT INTO asset_hours (user_id, chain, token, hour, raw) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (user_id, chain, token, hour) DO UPDATE SET raw = excluded.raw
        """)

    var close = before.map(Self.total) ?? 0
    var running = BigInt(0)
    var deltaIndex = 0
    var rowIndex = 0
    while deltaIndex < deltas.count || rowIndex < later.count {
      let hour = min(
        deltaIndex < deltas.count ? deltas[deltaIndex].key : .max,
        rowIndex < later.count ? later[rowIndex].hour : .max)
      var stored = false
      if rowIndex < later.count, later[rowIndex].hour == hour {
        close = Self.total(later[rowIndex].raw)
        stored = true
        rowIndex += 1
      }
      if deltaIndex < deltas.count, deltas[deltaIndex].key == hour {
        running += deltas[deltaIndex].value
        deltaIndex += 1
      }
      guard running != 0 || !stored else { continue }
      // Kept exact even below zero, which readings stamped out of order can leave in an
      // hour, so later shifts stay exact; readers show such an hour as zero.
      try upsert.execute(arguments: [asset.owner, asset.chain, asset.token, hour, String(close + running)])
    }
  }

  /// A stored total: uint256 digits, or a minus sign and digits.
  static func total(_ text: String) -> BigInt {
    guard text.hasPrefix("-") else { return BigInt(UInt256Text.parse(text) ?? 0) }
    return -BigInt(UInt256Text.parse(text.dropFirst()) ?? 0)
  }
}
