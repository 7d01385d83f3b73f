import Foundation
import GRDB
import PortfolioCore
import Testing

@testable import Storage

@Suite struct WalletStoreTests {
  let directory: URL
  let path: String

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
    path = directory.appendingPathComponent("nested/p.sqlite").path
  }

  func wallet(_ address: String, chain: ChainName = "ethereum", at milliseconds: Int64 = 1_700_000_000_000)
    -> Wallet
  {
    let time = Date(millisecondsSince1970: milliseconds)
    return Wallet(chain: chain, address: address, label: nil, createdAt: time, updatedAt: time)
  }

  @Test func createsTheFileInWALModeWithTheSchema() throws {
    let database = try AppDatabase(path: path)
    let (mode, tables) = try database.pool.read { db in
      (
        try String.fetchOne(db, sql: "PRAGMA journal_mode"),
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      )
    }
    #expect(mode == "wal")
    #expect(Set(tables).isSuperset(of: ["balances", "changes", "meta", "wallets"]))
    #expect(FileManager.default.fileExists(atPath: path))
  }

  @Test func addAllInsertsEveryWalletOrNone() throws {
    let database = try AppDatabase(path: path)
    let store = WalletStore(database)
    let first = wallet("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    try store.addAll([first, wallet("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")])
    #expect(try store.count() == 2)
    let duplicate = wallet("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    #expect {
      try store.addAll([wallet("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"), duplicate])
    } throws: { error in
      (error as? WalletExists)?.existing.id == first.id
    }
    #expect(try store.count() == 2)
  }

  @Test func theGenerationRisesWithEveryCommitOnly() throws {
    let database = try AppDatabase(path: path)
    let start = database.generation
    _ = try WalletStore(database).add(wallet("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"))
    #expect(database.generation == start + 1)
    _ = try WalletStore(database).count()
    #expect(database.generation == start + 1)
    #expect(throws: WalletExists.self) {
      try WalletStore(database).add(wallet("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"))
    }
    #expect(database.generation == start + 1)
  }

  @Test func theEpochIsKeptAcrossReopening() throws {
    let first = try AppDatabase(path: path).epoch()
    let second = try AppDatabase(path: path).epoch()
    #expect(first.count == 36)
    #expect(first == second)
    let other = try AppDatabase(path: directory.appendingPathComponent("other.sqlite").path).epoch()
    #expect(other != first)
  }

  @Test func oneWalletPerChainAndAddress() throws {
    let store = WalletStore(try AppDatabase(path: path))
    let added = try store.add(wallet("0xA"))
    #expect(throws: WalletExists.self) { try store.add(wallet("0xA")) }
    do {
      _ = try store.add(wallet("0xA"))
    } catch let error as WalletExists {
      #expect(error.existing.id == added.id)
    }
    _ = try store.add(wallet("0xA", chain: "polygon"))
    #expect(try store.count() == 2)
  }

  @Test func pagesFollowCreationOrderWithoutGapsOrRepeats() throws {
    let store = WalletStore(try AppDatabase(path: path))
    var expected: [UUID] = []
    for index in 0..<25 {
      // Several wallets share a millisecond, so the id must break ties.
      expected.append(try store.add(wallet("0x\(index)", at: 1_700_000_000_000 + Int64(index / 3))).id)
    }
    var seen: [UUID] = []
    var cursor: WalletCursor?
    repeat {
      let page = try store.list(owner: .first, limit: 7, after: cursor)
      seen += page.wallets.map(\.id)
      cursor = page.nextCursor
    } while cursor != nil
    #expect(seen.count == 25)
    #expect(Set(seen) == Set(expected))
    let byCreation = try store.list(owner: .first, limit: 100, after: nil).wallets
    #expect(byCreation.map(\.id) == seen)
    #expect(zip(byCreation, byCreation.dropFirst()).allSatisfy { $0.createdAt <= $1.createdAt })
  }

  @Test func listCanFilterByChain() throws {
    let store = WalletStore(try AppDatabase(path: path))
    _ = try store.add(wallet("0x1"))
    _ = try store.add(wallet("So1", chain: "solana"))
    let solana = try store.list(owner: .first, limit: 10, after: nil, chain: "solana").wallets
    #expect(solana.map(\.address) == ["So1"])
  }

  @Test func relabelAndDelete() throws {
    let store = WalletStore(try AppDatabase(path: path))
    let added = try store.add(wallet("0x1"))
    let later = Date(millisecondsSince1970: 1_800_000_000_000)
    let relabeled = try store.relabel(id: added.id, owner: .first, label: "cold", at: later)
    #expect(relabeled?.label == "cold")
    #expect(relabeled?.updatedAt == later)
    #expect(relabeled?.createdAt == added.createdAt)
    #expect(try store.wallet(id: added.id)?.label == "cold")
    #expect(try store.relabel(id: UUID(), owner: .first, label: "x", at: later) == nil)
    #expect(try store.delete(id: added.id, owner: .first))
    #expect(try store.delete(id: added.id, owner: .first) == false)
    #expect(try store.wallet(id: added.id) == nil)
  }

  @Test func deletingAWalletRemovesItsBalancesAndHistory() throws {
    let database = try AppDatabase(path: path)
    let store = WalletStore(database)
    let added = try store.add(wallet("0x1"))
    let id = added.id.uuidString.lowercased()
    try database.pool.write { db in
      try db.execute(
        sql: """
          INSERT INTO balances (wallet_id, token, symbol, decimals, raw, block, updated_at)
          VALUES (?, '', 'ETH', 18, '5', 1, 0)
          """, arguments: [id])
      try db.execute(
        sql: """
          INSERT INTO changes (wallet_id, chain, token, symbol, decimals, raw_old, raw_new, block, at)
          VALUES (?, 'ethereum', '', 'ETH', 18, '0', '5', 1, 0)
          """, arguments: [id])
    }
    _ = try store.delete(id: added.id, owner: .first)
    let remaining = try database.pool.read { db in
      try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM balances) + (SELECT count(*) FROM changes)")
    }
    #expect(remaining == 0)
  }

  @Test func storedTimesAreWholeMilliseconds() throws {
    let store = WalletStore(try AppDatabase(path: path))
    let time = Date(timeIntervalSince1970: 1_700_000_000.123456)
    let added = try store.add(
      Wallet(chain: "ethereum", address: "0x1", label: nil, createdAt: time, updatedAt: time))
    #expect(added.createdAt.millisecondsSince1970 == 1_700_000_000_123)
    #expect(try store.wallet(id: added.id)?.createdAt == added.createdAt)
  }
}
