import Foundation
import GRDB
import PortfolioCore
import Synchronization
import Testing

@testable import Storage

/// Balance changes and wallet events share one sequence; replays merge them in that order.
@Suite struct EventLogTests {
  let database: AppDatabase

  init() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("events-\(UUID().uuidString)/p.sqlite").path
    database = try AppDatabase(path: path)
  }

  static let addresses = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
  ]

  func wallet(_ index: Int) -> Wallet {
    let time = Date(millisecondsSince1970: 1_700_000_000_000)
    return Wallet(
      chain: "ethereum", address: Self.addresses[index], label: nil, createdAt: time, updatedAt: time)
  }

  func reading(_ wallet: Wallet, _ raw: String) -> StoredBalance {
    StoredBalance(
      walletID: wallet.id, token: nil, symbol: "ETH", decimals: 18, raw: BaseUnits(text: raw) ?? .zero,
      block: 1,
      updatedAt: Date(millisecondsSince1970: 1_700_000_000_000))
  }

  @Test func walletEventsAndChangesShareOneRisingSequence() async throws {
    let first = wallet(0)
    let second = wallet(1)
    let published = PublishedEvents()
    func commit(_ work: @escaping @Sendable (EventTransaction) throws -> [FeedEvent]) async throws {
      _ = try await database.commitEvents(work) { published.append($0) }
    }
    try await commit { [try $0.addWallet(first)] }
    try await commit { try $0.applyReadings(chain: "ethereum", [reading(first, "5")]).map(FeedEvent.balance) }
    try await commit { [try $0.addWallet(second)] }
    try await commit { tx in
      try tx.applyReadings(chain: "ethereum", [reading(first, "7"), reading(second, "3")]).map(
        FeedEvent.balance)
    }
    try await commit { [try $0.removeWallet(id: second.id, owner: nil)].compactMap { $0 } }
    try await commit { try $0.applyReadings(chain: "ethereum", [reading(first, "9")]).map(FeedEvent.balance) }

    let seqs = published.all.map(\.seq)
    #expect(seqs == Array(1...7))
    // The removed wallet's own change left with it; its added and removed events stay.
    let (replayed, last) = try ChangeLog(database).replay(after: 0, scope: .user(.first), limit: 100)
    #expect(last == 7)
    #expect(replayed.map(\.seq) == [1, 2, 3, 4, 6, 7])
    guard case .walletRemoved(6, let removed, let removedAt) = replayed[4] else {
      Issue.record("expected the removal at seq 6, got \(replayed[4])")
      return
    }
    #expect(removed.address == second.address)
    // Read back, the removal keeps the time it was committed with (to the millisecond stored).
    guard case .walletRemoved(6, _, let publishedAt)? = published.all.first(where: { $0.seq == 6 }) else {
      Issue.record("the removal was not published")
      return
    }
    #expect(removedAt.millisecondsSince1970 == publishedAt.millisecondsSince1970)
    // A wallet's own replay has its changes and, for a removed one, its removal.
    #expect(
      try ChangeLog(database).replay(after: 0, scope: .wallet(second.id), limit: 100).events.map(\.seq) == [6]
    )
    #expect(
      try ChangeLog(database).replay(after: 2, scope: .wallet(first.id), limit: 100).events.map(\.seq) == [
        4, 7,
      ])
    #expect(
      try ChangeLog(database).replay(after: 0, scope: .user(.first), limit: 3).events.map(\.seq) == [1, 2, 3])
  }

  @Test func aStoredAmountThatIsNotAnIntegerIsAnErrorNotZero() async throws {
    let first = wallet(0)
    _ = try WalletStore(database).add(first)
    _ = try BalanceStore(database).apply(chain: "ethereum", readings: [reading(first, "5")])
    try await database.pool.write { db in try db.execute(sql: "UPDATE balances SET raw = '12abc'") }
    #expect(throws: UnreadableAmount.self) { try BalanceStore(database).balances(walletID: first.id) }
    // The next reading of the wallet reports the stored amount it cannot compare with.
    #expect(throws: UnreadableAmount.self) {
      try BalanceStore(database).apply(chain: "ethereum", readings: [reading(first, "6")])
    }
  }

  @Test func readingsOfAWalletRemovedMeanwhileAreSkipped() throws {
    let kept = wallet(0)
    let gone = wallet(1)
    try WalletStore(database).addAll([kept, gone])
    #expect(try WalletStore(database).delete(id: gone.id, owner: .first))
    let changes = try BalanceStore(database).apply(
      chain: "ethereum", readings: [reading(gone, "4"), reading(kept, "2")])
    #expect(changes.map(\.walletID) == [kept.id])
  }
}

final class PublishedEvents: Sendable {
  private let events = Mutex<[FeedEvent]>([])
  func append(_ more: [FeedEvent]) { events.withLock { $0 += more } }
  var all: [FeedEvent] { events.withLock { $0 } }
}
