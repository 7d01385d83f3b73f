import DevChain
import Foundation
import GRDB
import PortfolioCore
import Storage
import Testing

/// The poller's full read of a chain with more wallets than one slice, against devchain.
@Suite struct PollCycleTests {
  static func address(_ index: Int) -> String {
    var bytes = [UInt8](repeating: 0x11, count: 20)
    bytes[18] = UInt8(index >> 8)
    bytes[19] = UInt8(index & 0xff)
    return EVMAddress(bytes: bytes)?.checksummed ?? ""
  }

  @Test func everySliceOfAFullReadIsStoredAndPublished() async throws {
    let count = 2_345
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("poll-\(UUID().uuidString)/portfolio.sqlite").path
    let time = Date()
    let wallets = (0..<count).map { index in
      Wallet(chain: "ethereum", address: Self.address(index), label: nil, createdAt: time, updatedAt: time)
    }
    let database = try AppDatabase(path: path)
    try WalletStore(database).addAll(wallets)
    try database.close()

    let moved = [0, 1_000, 1_999, 2_000, count - 1]
    try await ChainAPITests.withChainServer(
      databasePath: path,
      settings: ["chains.ethereum.poll_interval": "0.05", "chains.solana.enabled": "false"], polls: true
    ) { server, devchain in
      for index in moved {
        try devchain.chain.setBalance(
          chain: "ethereum", address: Self.address(index), token: nil, amount: "\(index + 1)")
      }
      // Full reads store every wallet's native balance, over three slices, and log the moves.
      var stored = 0
      var changes: [String] = []
      for _ in 0..<300 {
        (stored, changes) = try await server.server.database.pool.read { db in
          (
            try Int.fetchOne(db, sql: "SELECT count(*) FROM balances WHERE token = ''") ?? 0,
            try String.fetchAll(db, sql: "SELECT raw_new FROM changes ORDER BY seq")
          )
        }
        if stored == count && changes.count >= moved.count { break }
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(stored == count)
      #expect(changes.sorted() == moved.map { "\($0 + 1)" }.sorted())

      // The cycle's status is recorded once its last slice is stored.
      let head = try devchain.chain.advance(chain: "ethereum", blocks: 0)
      var ethereum: [String: Any]?
      for _ in 0..<100 {
        let health = try await server.request("GET", "/api/v1/health")
        ethereum = (health.json["chains"] as? [String: Any])?["ethereum"] as? [String: Any]
        if ethereum?["read_at"] as? Int == Int(head) { break }
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(ethereum?["read_at"] as? Int == Int(head))
      #expect(ethereum?["wallets"] as? Int == count)
      #expect(ethereum?["last_read_wallets"] as? Int == count)
      #expect((ethereum?["last_read_seconds"] as? Double ?? 0) > 0)
    }
  }
}
