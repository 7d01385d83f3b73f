import ChainClients
import Foundation
import LiveUpdates
import Logging
import PortfolioCore
import Synchronization
import Testing

/// The board sends followers every chain's state, then each change, as `chain_status` frames.
@Suite struct ChainHealthBoardTests {
  final class Inbox: Sendable {
    private let frames = Mutex<[[UInt8]]>([])

    func take(_ bytes: [UInt8]) { frames.withLock { $0.append(bytes) } }

    /// Parsed as a client would.
    var objects: [[String: Any]] {
      frames.withLock { $0 }.compactMap {
        try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
      }
    }

    var received: [(chain: String, status: String)] {
      objects.map { ($0["chain"] as? String ?? "?", $0["status"] as? String ?? "?") }
    }

    var last: [String: Any]? { objects.last }
  }

  final class Switch: Sendable {
    private let on = Mutex(false)
    func set() { on.withLock { $0 = true } }
    var isOn: Bool { on.withLock { $0 } }
  }

  static let start = Date(timeIntervalSince1970: 1_800_000_000)

  static func board(breakers: @escaping ChainHealthBoard.Breakers = { [.closed] }) -> ChainHealthBoard {
    let policy = ChainHealthPolicy(staleAfter: 10, downAfter: 60)
    return ChainHealthBoard(
      chains: ["solana": (policy, breakers), "ethereum": (policy, breakers)], logger: Logger(label: "test"),
      startedAt: start)
  }

  @Test func aFollowerGetsEveryChainNowAndEachChangeAfter() throws {
    let board = Self.board()
    let inbox = Inbox()
    board.succeeded("ethereum", at: Self.start.addingTimeInterval(1))
    board.follow(id: 1) { inbox.take($0) }
    #expect(inbox.received.map(\.chain) == ["ethereum", "solana"])
    #expect(inbox.received.map(\.status) == ["ok", "degraded"])

    board.failed("ethereum", error: "ethereum node: HTTP 500", at: Self.start.addingTimeInterval(2))
    board.failed("ethereum", error: "ethereum node: HTTP 500", at: Self.start.addingTimeInterval(3))
    let frame = try #require(inbox.last)
    #expect(inbox.received.count == 3)
    #expect(frame["type"] as? String == "chain_status" && frame["chain"] as? String == "ethereum")
    #expect(frame["status"] as? String == "degraded" && frame["reason"] as? String == "failing")
    #expect(frame["since"] as? String == Self.start.addingTimeInterval(2).iso8601)
    #expect(frame["last_good_read"] as? String == Self.start.addingTimeInterval(1).iso8601)
    #expect(frame["consecutive_failures"] as? Int == 1)
    #expect(frame["last_error"] as? String == "ethereum node: HTTP 500")
    #expect(frame["seq"] == nil)

    // The clock alone takes the never-read chain down at the check.
    board.check(at: Self.start.addingTimeInterval(61))
    #expect(inbox.received.suffix(2).map(\.status) == ["down", "down"])

    board.unfollow(id: 1)
    board.succeeded("solana", at: Self.start.addingTimeInterval(62))
    #expect(inbox.received.count == 5)
    #expect(board.healths["solana"]?.status == .ok)
  }

  @Test func breakersAreReadWhenTheChainIsJudged() {
    let open = Switch()
    let board = Self.board { [open.isOn ? .open : .closed] }
    board.succeeded("ethereum", at: Self.start)
    open.set()
    board.check(at: Self.start.addingTimeInterval(1))
    #expect(board.healths["ethereum"]?.status == .down)
    #expect(board.healths["ethereum"]?.reason == .noEndpointAvailable)
  }
}
