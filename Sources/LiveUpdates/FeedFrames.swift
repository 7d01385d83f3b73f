import Foundation
import PortfolioCore
import Storage

/// A frame for one topic, serialized once: what the change feed hands its outlets.
public struct FeedFrame: Sendable {
  public let topic: StreamTopic
  /// The highest `seq` of the events it was made from: a follower is sent the frames of a
  /// topic above the `seq` it has.
  public let seq: Int64
  public let bytes: [UInt8]
  /// When the data was read from the chain, for latency figures.
  public let readAt: ContinuousClock.Instant?
  /// The topic's last frame: its wallet is gone.
  public let endsTopic: Bool
}

/// Turns events, in `seq` order, into stream frames: consecutive balance changes become one
/// `diff` per topic, wallets added together one frame, each removal one frame per topic.
enum FeedFrames {
  /// - Parameters:
  ///   - portfolio: whose `portfolio` topic to make frames for.
  ///   - walletTopic: which wallets' own topics to make frames for.
  ///   - changesPerFrame: the most changes or wallets in one frame.
  ///   - prices: the price of each balance change's asset when it happened, by `seq`.
  static func frames(
    _ events: [FeedEvent], portfolio: (UserID) -> Bool, walletTopic: (UUID) -> Bool,
    changesPerFrame: Int = .max,
    prices: [Int64: StoredPrice] = [:], readAt: ContinuousClock.Instant? = nil
  ) -> [FeedFrame] {
    var frames: [FeedFrame] = []
    var index = 0
    while index < events.count {
      // A run of events of one kind, at most `changesPerFrame` long.
      var end = index + 1
      while end < events.count, end - index < changesPerFrame, sameKind(events[index], events[end]) {
        end += 1
      }
      let run = events[index..<end]
      // The run's last `seq`: frames on one topic rise even when a commit makes several (a
      // diff, then the alert it fired), and the ring's frames never go back in `seq`.
      let seq = run.last?.seq ?? 0
      func frame(_ topic: StreamTopic, _ bytes: [UInt8], ends: Bool = false) {
        frames.append(FeedFrame(topic: topic, seq: seq, bytes: bytes, readAt: readAt, endsTopic: ends))
      }
      switch events[index] {
      case .balance:
        let changes = run.compactMap { if case .balance(let change) = $0 { change } else { nil } }
        for (owner, owned) in grouped(changes, by: \.owner) where portfolio(owner) {
          frame(
            .portfolio(owner), StreamFrames.diff(topic: .portfolio(owner), changes: owned, prices: prices))
        }
        var byWallet: [UUID: [BalanceChange]] = [:]
        var order: [UUID] = []
        for change in changes where walletTopic(change.walletID) {
          if byWallet[change.walletID] == nil { order.append(change.walletID) }
          byWallet[change.walletID, default: []].append(change)
        }
        for id in order {
          frame(
            .wallet(id), StreamFrames.diff(topic: .wallet(id), changes: byWallet[id] ?? [], prices: prices))
        }
      case .walletAdded:
        let added = run.compactMap {
          if case .walletAdded(let seq, let wallet) = $0 { (seq: seq, wallet: wallet) } else { nil }
        }
        for (owner, owned) in grouped(added, by: \.wallet.owner) where portfolio(owner) {
          frame(
            .portfolio(owner),
            owned.count == 1
              ? StreamFrames.walletAdded(owned[0].wallet, seq: owned[0].seq)
              : StreamFrames.walletsAdded(owned))
        }
      case .alert(let alert):
        if portfolio(alert.owner) {
          let topic = StreamTopic.portfolio(alert.owner)
          frame(topic, StreamFrames.alert(alert, topic: topic))
        }
      case .walletRemoved(let removedSeq, let wallet, _):
        if portfolio(wallet.owner) {
          let topic = StreamTopic.portfolio(wallet.owner)
          frame(topic, StreamFrames.walletRemoved(wallet, seq: removedSeq, topic: topic))
        }
        if walletTopic(wallet.id) {
          frame(
            .wallet(wallet.id),
            StreamFrames.walletRemoved(wallet, seq: removedSeq, topic: .wallet(wallet.id)), ends: true)
        }
      }
      index = end
    }
    return frames
  }

  /// The items of each owner, owners in order of first appearance, items in their order.
  private static func grouped<Item>(_ items: [Item], by owner: (Item) -> UserID) -> [(UserID, [Item])] {
    var groups: [UserID: [Item]] = [:]
    var order: [UserID] = []
    for item in items {
      let key = owner(item)
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(item)
    }
    return order.map { ($0, groups[$0] ?? []) }
  }

  /// Balance changes run together, and so do wallets added; each removal stands alone.
  private static func sameKind(_ left: FeedEvent, _ right: FeedEvent) -> Bool {
    switch (left, right) {
    case (.balance, .balance), (.walletAdded, .walletAdded): true
    default: false
    }
  }
}
