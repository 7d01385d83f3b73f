public import Foundation
import GRDB
public import PortfolioCore

/// What a client that resumes after `seq` missed, read in one transaction: the events, the
/// prices that value their changes, and, when prices moved meanwhile, what its topic is
/// worth now.
public struct Resumption: Sendable {
  public var events: [FeedEvent]
  /// The log's last `seq`.
  public var last: Int64
  /// The price of each replayed change's asset when it happened, by `seq`.
  public var prices: [Int64: StoredPrice]
  /// Set when pushed price moves were missed.
  public var missedValue: MissedValue?

  public struct MissedValue: Sendable {
    /// The `seq` of the last missed price move.
    public var seq: Int64
    /// The assets whose price moved, at their current price (nil: no longer priced).
    public var moves: [PriceMove]
    /// The topic's balances now, with their wallets' chains.
    public var balances: [(chain: ChainName, balance: StoredBalance)]
    public var currentPrices: [AssetKey: StoredPrice]
  }
}

extension ChangeLog {
  /// `replay`, with what values it; see `Resumption`.
  public func resumption(after seq: Int64, walletID: UUID?, limit: Int) throws -> Resumption {
    try database.pool.read { db in
      let (events, last) = try Self.replay(db, after: seq, walletID: walletID, limit: limit)
      let changes = events.compactMap { if case .balance(let change) = $0 { change } else { nil } }
      var resumption = Resumption(
        events: events, last: last, prices: try PriceStore.prices(of: changes, db), missedValue: nil)
      guard let moved = try PriceStore.lastPushedMove(after: seq, db) else { return resumption }
      let current = try PriceStore.current(db)
      let assets = try Row.fetchAll(
        db, sql: "SELECT DISTINCT chain, token FROM price_history WHERE seq IS NOT NULL AND seq > ?",
        arguments: [seq]
      ).map { AssetKey(chain: ChainName(rawValue: $0[0]), token: $0[1]) }.sorted()
      var balances = try BalanceStore.allBalances(db)
      if let walletID { balances = balances.filter { $0.balance.walletID == walletID } }
      resumption.missedValue = Resumption.MissedValue(
        seq: moved,
        moves: assets.map { PriceMove(asset: $0, old: nil, new: current[$0], pushed: true) },
        balances: balances, currentPrices: current)
      return resumption
    }
  }
}
