import Foundation
import PortfolioCore
public import Storage

/// The first frames of a subscription: a replay of the changes after `since` when the client
/// resumes on this database, else a snapshot (marked `reset` when the client knew another one).
public struct StreamStart: Sendable {
  private let database: AppDatabase
  /// More missed changes than this get a fresh snapshot instead of a replay.
  public static let maxReplay = 10_000
  static let changesPerFrame = 500

  public init(database: AppDatabase) {
    self.database = database
  }

  public func frames(topic: StreamTopic, since: Int64?, epoch: String?) throws -> (
    frames: [[UInt8]], through: Int64
  ) {
    let currentEpoch = database.epoch()
    if let since, epoch == nil || epoch == currentEpoch {
      let resumption = try ChangeLog(database).resumption(
        after: since, scope: topic.scope, limit: Self.maxReplay + 1)
      let (missed, last) = (resumption.events, resumption.last)
      // A client ahead of the log, or too far behind, starts over from a snapshot.
      if missed.count <= Self.maxReplay, since <= last {
        var frames = FeedFrames.frames(
          missed, portfolio: { topic == .portfolio($0) }, walletTopic: { topic == .wallet($0) },
          changesPerFrame: Self.changesPerFrame, prices: resumption.prices
        ).map(\.bytes)
        // Prices moved while it was away: one frame with what the topic is worth now.
        if let value = resumption.missedValue {
          frames.append(
            StreamFrames.value(
              topic: topic, seq: value.seq, moves: value.moves, data: valueData(value, topic: topic)))
        }
        // Says the replay is complete and how far it reached, even when nothing was missed.
        frames.append(
          StreamFrames.resumed(topic: topic, epoch: currentEpoch, seq: last, replayed: missed.count))
        return (frames, last)
      }
    }
    let snapshot = try SnapshotReader(database).snapshot(topic.scope)
    // The client held state from another database, or from too long ago: it must start over.
    let reset = (epoch != nil && epoch != currentEpoch) || since != nil
    return (
      [
        StreamFrames.snapshot(
          topic: topic, epoch: currentEpoch, seq: snapshot.seq, reset: reset, data: data(snapshot, topic))
      ], snapshot.seq
    )
  }

  private func data(_ snapshot: Snapshot, _ topic: StreamTopic) -> JSONValue {
    let wallets = snapshot.wallets.map { wallet -> JSONValue in
      var entry = Representation.wallet(wallet)
      if case .object(var object) = entry {
        object.merge(
          Valuation.wallet(snapshot.balances[wallet.id] ?? [], chain: wallet.chain, prices: snapshot.prices)
        ) { $1 }
        entry = .object(object)
      }
      return entry
    }
    if case .wallet = topic {
      return ["wallet": wallets.first ?? .null]
    }
    let all = snapshot.wallets.flatMap { wallet in
      (snapshot.balances[wallet.id] ?? []).map { (chain: wallet.chain, balance: $0) }
    }
    let summary = PortfolioSummary.totals(all, prices: snapshot.prices)
    return ["wallets": .array(wallets), "totals": summary.totals, "value": summary.value]
  }

  /// A `value` frame's data for the topic: see `ValueFrames`.
  private func valueData(_ value: Resumption.MissedValue, topic: StreamTopic) -> [String: JSONValue] {
    if let wallet = value.wallet {
      return Valuation.wallet(wallet.balances, chain: wallet.chain, prices: value.currentPrices)
    }
    return PortfolioSummary.valueData(value.assets, prices: value.currentPrices)
  }
}
