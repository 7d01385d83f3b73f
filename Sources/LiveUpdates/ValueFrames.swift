import Foundation
import PortfolioCore
import Storage

/// The `value` frames of a price write whose moves are pushed: one for each followed
/// `portfolio` with that user's new totals, and one for each followed wallet that holds a moved
/// asset, with its balances.
enum ValueFrames {
  static func frames(
    _ write: PriceWrite, in transaction: EventTransaction, followed: Set<StreamTopic>
  ) throws -> [FeedFrame] {
    let moves = write.pushedMoves
    guard let seq = write.seq, !moves.isEmpty, !followed.isEmpty else { return [] }
    let prices = try transaction.currentPrices()
    var frames: [FeedFrame] = []
    var followedWallets: Set<UUID> = []
    for topic in followed.sorted(by: { $0.ringKey < $1.ringKey }) {
      switch topic {
      case .portfolio(let owner):
        let data = PortfolioSummary.valueData(try transaction.assetTotals(owner: owner), prices: prices)
        frames.append(
          frame(topic, seq: seq, StreamFrames.value(topic: topic, seq: seq, moves: moves, data: data)))
      case .wallet(let id):
        followedWallets.insert(id)
      }
    }
    guard !followedWallets.isEmpty else { return frames }
    let moved = Set(moves.map(\.asset))
    let wallets = try transaction.balances(ofWallets: followedWallets)
    for id in wallets.keys.sorted(by: { $0.uuidString < $1.uuidString }) {
      guard let wallet = wallets[id],
        wallet.balances.contains(where: {
          !$0.raw.isZero && moved.contains(AssetKey(chain: wallet.chain, token: $0.token))
        })
      else { continue }
      let topic = StreamTopic.wallet(id)
      let data = Valuation.wallet(wallet.balances, chain: wallet.chain, prices: prices)
      frames.append(
        frame(topic, seq: seq, StreamFrames.value(topic: topic, seq: seq, moves: moves, data: data)))
    }
    return frames
  }

  private static func frame(_ topic: StreamTopic, seq: Int64, _ bytes: [UInt8]) -> FeedFrame {
    FeedFrame(topic: topic, seq: seq, bytes: bytes, readAt: nil, endsTopic: false)
  }
}
