import Foundation
import PortfolioCore
import Storage

/// The `value` frames of a price write whose moves are pushed: one for `portfolio` with the new
/// totals, and one for each followed wallet that holds a moved asset, with its balances.
enum ValueFrames {
  static func frames(
    _ write: PriceWrite, in transaction: EventTransaction, followed: Set<UUID>
  ) throws -> [FeedFrame] {
    let moves = write.pushedMoves
    guard let seq = write.seq, !moves.isEmpty else { return [] }
    let prices = try transaction.currentPrices()
    let data = PortfolioSummary.valueData(try transaction.assetTotals(), prices: prices)
    var frames = [
      frame(.portfolio, seq: seq, StreamFrames.value(topic: .portfolio, seq: seq, moves: moves, data: data))
    ]
    guard !followed.isEmpty else { return frames }
    let moved = Set(moves.map(\.asset))
    let wallets = try transaction.balances(ofWallets: followed)
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
