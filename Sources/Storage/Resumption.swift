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
    /// The log's last `seq`: the frame shows the topic as of then, after the replayed events.
    public var seq: Int64
    /// The assets whose price moved, at their current price (nil: no longer priced).
    public var moves: [PriceMove]
    /// For `portfolio`: every asset's total over the user's wallets now.
    public var assets: [AssetTotal]
    /// For a wallet's topic: its chain and balances now.
    public var wallet: (chain: ChainName, balances: [StoredBalance])?
    public var currentPrices: [AssetKey: StoredPrice]
  }
}

extension ChangeLog {
  /// `replay`, with what values it; see `Resumption`.
  public func resumption(after seq: Int64, scope: EventScope, limit: Int) throws -> Resumption {
    try database.pool.read { db in
      let (events, last) = try Self.replay(db, after: seq, scope: scope, limit: limit)
      let changes = events.compactMap { if case .balance(let change) = $0 { change } else { nil } }
      var resumption = Resumption(
        events: events, last: last, prices: try PriceStore.prices(of: changes, db), missedValue: nil)
      let assets = try Row.fetchAll(
        db, sql: "SELECT DISTINCT chain, token FROM price_history WHERE seq IS NOT NULL AND seq > ?",
        arguments: [seq]
      ).map { AssetKey(chain: ChainName(rawValue: $0[0]), token: $0[1]) }.sorted()
      guard !assets.isEmpty else { return resumption }
      let current = try PriceStore.current(db)
      var value = Resumption.MissedValue(
        seq: last, moves: assets.map { PriceMove(asset: $0, old: nil, new: current[$0], pushed: true) },
        assets: [], wallet: nil, currentPrices: current)
      switch scope {
      case .wallet(let walletID):
        // Only a wallet holding a moved asset is told, as live.
        guard let wallet = try BalanceStore.balances(db, ofWallets: [walletID])[walletID],
          wallet.balances.contains(where: {
            !$0.raw.isZero && assets.contains(AssetKey(chain: wallet.chain, token: $0.token))
          })
        else { return resumption }
        value.wallet = wallet
      case .user(let owner):
        value.assets = try AssetTotals.current(db, owner: owner)
      }
      resumption.missedValue = value
      return resumption
    }
  }
}
