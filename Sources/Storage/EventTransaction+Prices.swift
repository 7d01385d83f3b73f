public import BigInt
public import Foundation
import GRDB
public import PortfolioCore

extension EventTransaction {
  /// Stores prices taken at `at`. A price that moved gets a history row and its hour's close;
  /// a move past `pushThreshold` (parts per million) from the price last pushed for the asset,
  /// or an asset's first price, is marked pushed, and the pushed moves of this write share one
  /// `seq` of the log.
  public func applyQuotes(_ quotes: [PriceQuote], at: Date, pushThreshold: BigUInt) throws -> PriceWrite {
    var moves: [PriceMove] = []
    let milliseconds = at.millisecondsSince1970
    let read = try db.cachedStatement(sql: "SELECT price, pushed FROM prices WHERE chain = ? AND token = ?")
    let upsert = try db.cachedStatement(
      sql: """
        INSERT INTO prices (chain, token, price, source, source_at, at, pushed) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (chain, token) DO UPDATE SET price = excluded.price, source = excluded.source,
          source_at = excluded.source_at, at = excluded.at, pushed = excluded.pushed
        """)
    for quote in quotes {
      let asset = quote.asset
      let row = try Row.fetchOne(read, arguments: [asset.chain, asset.storedToken])
      let old = (row?["price"] as String?).flatMap { USDPrice(text: $0) }
      var pushed = (row?["pushed"] as String?).flatMap { USDPrice(text: $0) }
      let stored = StoredPrice(
        asset: asset, price: quote.price, source: quote.source, sourceAt: quote.at, at: at)
      if old != quote.price {
        let push = pushed.map { $0.distance(to: quote.price) >= pushThreshold } ?? true
        if push { pushed = quote.price }
        moves.append(PriceMove(asset: asset, old: old, new: stored, pushed: push))
      }
      try upsert.execute(arguments: [
        asset.chain, asset.storedToken, quote.price.text, quote.source.rawValue,
        quote.at.millisecondsSince1970, milliseconds, pushed?.text,
      ])
    }
    return try record(moves, at: milliseconds)
  }

  /// Drops the prices no source has given since `cutoff`: those assets are unpriced from `at`
  /// on, and subscribers are told.
  public func expirePrices(takenBefore cutoff: Date, at: Date) throws -> PriceWrite {
    let expired = try Row.fetchAll(
      db, sql: "SELECT chain, token, price FROM prices WHERE at < ?",
      arguments: [cutoff.millisecondsSince1970])
    guard !expired.isEmpty else { return PriceWrite(moves: [], seq: nil) }
    try db.execute(sql: "DELETE FROM prices WHERE at < ?", arguments: [cutoff.millisecondsSince1970])
    let moves = expired.map { row in
      PriceMove(
        asset: AssetKey(chain: ChainName(rawValue: row[0]), token: row[1]),
        old: (row[2] as String?).flatMap { USDPrice(text: $0) }, new: nil, pushed: true)
    }
    return try record(moves, at: at.millisecondsSince1970)
  }

  /// Every current price, as this transaction sees them.
  public func currentPrices() throws -> [AssetKey: StoredPrice] {
    try PriceStore.current(db)
  }

  /// Every asset's total over one user's wallets, as this transaction sees them.
  public func assetTotals(owner: UserID) throws -> [AssetTotal] {
    try AssetTotals.current(db, owner: owner)
  }

  /// The balances of these wallets, with each wallet's chain.
  public func balances(ofWallets ids: Set<UUID>) throws -> [UUID: (
    chain: ChainName, balances: [StoredBalance]
  )] {
    try BalanceStore.balances(db, ofWallets: ids)
  }

  /// The price each change's asset had when it happened, by the change's `seq`.
  public func prices(of changes: [BalanceChange]) throws -> [Int64: StoredPrice] {
    try PriceStore.prices(of: changes, db)
  }

  /// Writes the moves' history rows and hour closes; the pushed ones take the next `seq`.
  private func record(_ moves: [PriceMove], at milliseconds: Int64) throws -> PriceWrite {
    guard !moves.isEmpty else { return PriceWrite(moves: [], seq: nil) }
    let seq = moves.contains(where: \.pushed) ? try takeSeq() : nil
    let history = try db.cachedStatement(
      sql: """
        INSERT INTO price_history (chain, token, price, source, source_at, at, seq) VALUES (?, ?, ?, ?, ?, ?, ?)
        """)
    let close = try db.cachedStatement(
      sql: """
        INSERT INTO price_hours (chain, token, hour, price) VALUES (?, ?, ?, ?)
        ON CONFLICT (chain, token, hour) DO UPDATE SET price = excluded.price
        """)
    let hour = HourlyTotals.hour(ofMilliseconds: milliseconds)
    for move in moves {
      let asset = move.asset
      try history.execute(arguments: [
        asset.chain, asset.storedToken, move.new?.price.text, move.new?.source.rawValue,
        move.new?.sourceAt.millisecondsSince1970, milliseconds, move.pushed ? seq : nil,
      ])
      try close.execute(arguments: [asset.chain, asset.storedToken, hour, move.new?.price.text])
    }
    return PriceWrite(moves: moves, seq: seq)
  }
}
