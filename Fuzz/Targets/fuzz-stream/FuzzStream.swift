import Foundation
import FuzzSupport
import LiveUpdates
import Logging
import PortfolioCore
import Storage

// libFuzzer target: client messages on the `/api/v1/stream` WebSocket.
//
// An input is one connection's life: each line is one event, a text message unless it starts
// with byte 1 (`.behind`: `\u{1}<topic> <seq>`) or byte 2 (`.ended`: `\u{2}<topic>`); the
// connection closes after the last. `{epoch}` in a message stands for the database's epoch, so
// seeds can resume where a client left off. Events go through the real `StreamCore` over a SQLite
// database holding two wallets with balances and prices, and every frame queued for the
// client is checked: JSON objects with a `type`, never an `unavailable` error (the database
// failing on a client's message is a bug), and no topic counted once the connection is gone.
@testable import API
@testable import WebServer

@main enum FuzzStream {
  static func main() { runLibFuzzer { start, count in fuzz(start, count) } }
}

/// The wallets in the database, by id, so seeds can name them.
let walletIDs = [
  UUID(uuidString: "00000000-0000-4000-8000-000000000001"),
  UUID(uuidString: "00000000-0000-4000-8000-000000000002"),
].compactMap { $0 }

struct NoHTTP: HTTPResponder {
  func respond(to request: HTTPRequest) async -> HTTPResponse { HTTPResponse(status: 404) }
}

struct NoWebSocket: WebSocketResponder {
  struct Handler: WebSocketHandler { func handle(_ event: WebSocketEvent) async {} }
  func open(_ connection: WebSocketConnection) -> any WebSocketHandler { Handler() }
}

/// A database with wallets, balances and prices, and the stream core over it. The service
/// thread state has no libwebsockets context: what the core queues for the client stays in
/// its inbox, where the checks read it.
final class Fixture: Sendable {
  let core: StreamCore
  let state: ServiceThreadState
  let epoch: String

  init() throws {
    let folder = temporaryFolder("fuzz-stream")
    let database = try AppDatabase(path: folder.appendingPathComponent("portfolio.sqlite").path)
    let feed = ChangeFeed(database: database)
    let now = Date()
    let wallets = [
      Wallet(
        id: walletIDs[0], chain: "ethereum", address: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045",
        label: "main",
        createdAt: now, updatedAt: now),
      Wallet(
        id: walletIDs[1], chain: "solana", address: "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM",
        label: nil,
        createdAt: now, updatedAt: now),
    ]
    try blocking {
      for wallet in wallets { _ = try await feed.addWallet(wallet) }
      guard let ether = USDPrice(text: "3012.45"), let sol = USDPrice(text: "187.2") else { return }
      _ = try await feed.storePrices(
        [
          PriceQuote(asset: AssetKey(chain: "ethereum", token: nil), price: ether, source: .fixed, at: now),
          PriceQuote(asset: AssetKey(chain: "solana", token: nil), price: sol, source: .fixed, at: now),
        ], at: now, pushThreshold: 0)
      for round in 1...3 {
        _ = try await feed.storeReadings(
          chain: "ethereum",
          [
            StoredBalance(
              walletID: walletIDs[0], token: nil, symbol: "ETH", decimals: 18,
              raw: BaseUnits(UInt64(round) * 1_500_000_000_000_000_000), block: UInt64(round), updatedAt: now)
          ], readAt: .now)
        _ = try await feed.storeReadings(
          chain: "solana",
          [
            StoredBalance(
              walletID: walletIDs[1], token: nil, symbol: "SOL", decimals: 9,
              raw: BaseUnits(UInt64(round) * 2_000_000_000),
              block: UInt64(round), updatedAt: now)
          ], readAt: .now)
      }
    }
    epoch = database.epoch()
    var logger = Logger(label: "fuzz-stream")
    logger.logLevel = .critical
    // Two chains whose health the `chains` topic follows; nothing polls them here.
    let policy = ChainHealthPolicy(pollInterval: 1)
    let closed: ChainHealthBoard.Breakers = { @Sendable in [.closed] }
    let health = ChainHealthBoard(
      chains: ["ethereum": (policy, closed), "solana": (policy, closed)], logger: logger)
    core = StreamCore(
      database: database, feed: feed, health: health,
      authenticator: Authenticator(database: database, required: false), limits: StreamLimits(),
      logger: logger)
    state = ServiceThreadState(
      options: WebServerOptions(port: 0, staticDirectory: nil), httpResponder: NoHTTP(),
      webSocketResponder: NoWebSocket(), logger: logger, frameLatency: FrameLatency())
  }
}

let fixture: Fixture = {
  do { return try Fixture() } catch { preconditionFailure("the stream fixture failed: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let lines = fuzzInput(start, count).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
  let connection = WebSocketConnection(
    id: 1, path: "/api/v1/stream", peer: "fuzz", authorization: nil, state: fixture.state)
  let before = fixture.core.subscribers.value
  var state = StreamSessionState()
  _ = fixture.core.open(connection, state: &state)
  for line in lines.prefix(64) {
    precondition(
      fixture.core.receive(event(line), on: connection, state: &state), "the connection ended early")
    checkQueued()
  }
  precondition(!fixture.core.receive(.closed, on: connection, state: &state), "a closed connection goes on")
  fixture.core.end(&state, connection: connection)
  checkQueued()
  precondition(state.topics.isEmpty && !state.chains, "topics left after the connection closed")
  precondition(fixture.core.subscribers.value == before, "the subscriber count moved across a connection")
  return 0
}

private func event(_ line: ArraySlice<UInt8>) -> WebSocketEvent {
  switch line.first {
  case 1:
    let text = String(decoding: line.dropFirst(), as: UTF8.self)
    let parts = text.split(separator: " ", maxSplits: 1)
    return .behind(topic: String(parts.first ?? ""), after: parts.count > 1 ? Int64(parts[1]) ?? 0 : 0)
  case 2:
    return .ended(topic: String(decoding: line.dropFirst(), as: UTF8.self))
  default:
    return .text(
      String(decoding: line, as: UTF8.self).replacingOccurrences(of: "{epoch}", with: fixture.epoch))
  }
}

/// Every frame queued for the client is a JSON object with a type, and no error says the
/// server failed.
private func checkQueued() {
  for command in fixture.state.inbox.drain() {
    switch command {
    case .sendText(_, let bytes): checkFrame(bytes)
    case .follow(_, _, _, let first): first.forEach(checkFrame)
    case .unfollow, .close, .respond, .publish, .beginShutdown, .stop: break
    }
  }
}

private func checkFrame(_ bytes: [UInt8]) {
  guard case .object(let frame)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
    let type = frame["type"]?.stringValue
  else {
    preconditionFailure(
      "a frame that is not a JSON object with a type: \(String(decoding: bytes, as: UTF8.self))")
  }
  if type == "error" {
    let code = frame["code"]?.stringValue ?? frame["error"]?.stringValue ?? ""
    precondition(
      code != "unavailable", "the server failed a client message: \(String(decoding: bytes, as: UTF8.self))")
  }
}
