import GRDB
public import PortfolioCore

/// One asset's total over a user's wallets at the end of one hour.
public struct HourClose: Sendable, Hashable {
  /// Hours since 1970, UTC.
  public var hour: Int64
  /// Base units as decimal digits.
  public var raw: String
}

/// An asset's hourly closes over a range, with the close before it.
public struct AssetCloses: Sendable, Hashable {
  public var chain: ChainName
  /// nil for the chain's native coin.
  public var token: String?
  public var symbol: String
  public var decimals: UInt8
  /// The total when the range begins; nil when the asset had not moved yet.
  public var opening: String?
  /// Hours in the range where the total was written, oldest first.
  public var closes: [HourClose]
}

/// Reads of the hourly rollup of the change log: the portfolio's history answers from at most
/// one row per asset and hour instead of summing every change since the first.
public struct HourlyTotals: Sendable {
  static let millisecondsPerHour: Int64 = 3_600_000

  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// The hour since 1970 that `milliseconds` falls in.
  public static func hour(ofMilliseconds milliseconds: Int64) -> Int64 {
    milliseconds.dividedRoundingDown(by: millisecondsPerHour)
  }

  /// Every asset of the user's wallets that had moved by the end of `lastHour`, with its closes from `firstHour`
  /// through `lastHour`; native coins first within a chain.
  public func closes(owner: UserID, fromHour firstHour: Int64, throughHour lastHour: Int64) throws
    -> [AssetCloses]
  {
    try database.pool.read { db in
      let assets = try Row.fetchAll(
        db,
        sql:
          """
          SELECT chain, token, symbol, decimals FROM history_assets WHERE user_id = ?
          ORDER BY chain, token != '', symbol, token
          """, arguments: [owner])
      let opening = try db.cachedStatement(
        sql:
          """
          SELECT raw FROM asset_hours WHERE user_id = ? AND chain = ? AND token = ? AND hour < ?
          ORDER BY hour DESC LIMIT 1
          """)
      let range = try db.cachedStatement(
        sql:
          """
          SELECT hour, raw FROM asset_hours WHERE user_id = ? AND chain = ? AND token = ?
            AND hour BETWEEN ? AND ? ORDER BY hour
          """)
      var result: [AssetCloses] = []
      for asset in assets {
        let chain = ChainName(rawValue: asset[0])
        let token: String = asset[1]
        let before = try String.fetchOne(opening, arguments: [owner, chain, token, firstHour])
        var closes: [HourClose] = []
        let rows = try Row.fetchCursor(range, arguments: [owner, chain, token, firstHour, lastHour])
        while let row = try rows.next() {
          closes.append(HourClose(hour: row[0], raw: Self.shown(row[1])))
        }
        guard before != nil || !closes.isEmpty else { continue }
        result.append(
          AssetCloses(
            chain: chain, token: token.isEmpty ? nil : token, symbol: asset[2],
            decimals: UInt8(clamping: asset[3] as Int), opening: before.map(Self.shown), closes: closes))
      }
      return result
    }
  }

  /// A total below zero (readings written out of time order) is shown as none.
  private static func shown(_ raw: String) -> String { raw.hasPrefix("-") ? "0" : raw }
}
