import Foundation
import LiveUpdates
import PortfolioCore
import Storage

/// Reads a user's events after a cursor, in `seq` order, as webhooks send them: balance changes
/// and wallets added and removed from the change log, and price moves pushed to subscribers
/// (as `value.changed`, for a user holding a moved asset then, valued as of the move's `seq`).
struct WebhookEventReader: Sendable {
  let database: AppDatabase

  /// Up to `limit` events after `cursor`, and the `seq` through which the log was read: a
  /// cursor may move there even when none of the events is wanted.
  func events(after cursor: Int64, owner: UserID, limit: Int) throws -> (
    events: [WebhookEvent], through: Int64
  ) {
    let (feed, last) = try ChangeLog(database).replay(after: cursor, scope: .user(owner), limit: limit)
    let moves = try PriceStore(database).pushedMoves(after: cursor, limit: limit)
    // Where either list was cut short, the other is only complete up to there.
    var through = last
    if feed.count >= limit, let seq = feed.last?.seq { through = min(through, seq) }
    if moves.count >= limit, let seq = moves.last?.seq { through = min(through, seq) }
    let changes = feed.compactMap { if case .balance(let change) = $0 { change } else { nil } }
    let prices = try PriceStore(database).prices(of: changes)
    var events = feed.filter { $0.seq <= through }.map { Self.event($0, prices: prices) }
    let valueMoves = moves.filter { $0.seq <= through }
    if !valueMoves.isEmpty {
      // Each as of its own seq: a retry or a redelivery carries the value the event was made with.
      let points = try PortfolioAsOf(database).points(
        owner: owner, after: cursor, at: valueMoves.map { ($0.seq, $0.at) })
      for entry in valueMoves {
        guard let point = points[entry.seq] else { continue }
        let holding = Set(point.assets.filter { $0.raw > 0 }.map(\.asset))
        guard entry.moves.contains(where: { holding.contains($0.asset) }) else { continue }
        var data = PortfolioSummary.valueData(point.assets, prices: point.prices)
        data["seq"] = .integer(entry.seq)
        data["prices"] = .array(entry.moves.map(Valuation.priceMove))
        events.append(
          WebhookEvent(
            seq: entry.seq, type: .valueChanged, at: entry.at, data: .object(data), walletID: nil, chain: nil,
            assets: [], usdDelta: nil))
      }
      events.sort { $0.seq < $1.seq }
    }
    return (events, through)
  }

  static func event(_ event: FeedEvent, prices: [Int64: StoredPrice]) -> WebhookEvent {
    switch event {
    case .balance(let change):
      let data = Representation.change(change, prices: prices)
      var delta: Decimal?
      if case .object(let object) = data, case .string(let text)? = object["usd_delta"] {
        delta = Decimal(string: text)
      }
      return WebhookEvent(
        seq: change.seq, type: .balanceChanged, at: change.at, data: data, walletID: change.walletID,
        chain: change.chain,
        assets: [change.symbol.lowercased()] + (change.token.map { [$0.lowercased()] } ?? []),
        usdDelta: delta)
    case .alert(let alert):
      return WebhookEvent(
        seq: alert.seq, type: .alertTriggered, at: alert.at,
        data: Representation.firedAlert(alert), walletID: nil, chain: nil, assets: [], usdDelta: nil)
    case .walletAdded(let seq, let wallet), .walletRemoved(let seq, let wallet, _):
      let type: WebhookEventType = if case .walletAdded = event { .walletAdded } else { .walletRemoved }
      // When it happened, as the log has it, so a retry says the same.
      let at: Date =
        if case .walletRemoved(_, _, let removedAt) = event { removedAt } else { wallet.createdAt }
      return WebhookEvent(
        seq: seq, type: type, at: at,
        data: ["seq": .integer(seq), "wallet": Representation.wallet(wallet)], walletID: wallet.id,
        chain: wallet.chain, assets: [], usdDelta: nil)
    }
  }
}
