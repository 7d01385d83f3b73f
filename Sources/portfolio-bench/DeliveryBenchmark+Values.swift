import DevChain
import Foundation
import PortfolioCore

/// `deliveries --price-moves`: `value.changed` events. Each price move is sent live to one
/// webhook while some balances move between moves; then fresh webhooks are sent the whole log
/// again from seq 1 (`redeliver`), each value event read back from the log.
extension DeliveryBenchmark {
  /// The prices moves alternate between: 1 % apart, past the 0.5 % push threshold.
  static let prices = ["3000", "3030"]

  /// Prices from devchain's CoinGecko API, refreshed ten times a second.
  static func priceEnvironment(_ devchain: DevChainServer) -> [String: String] {
    [
      "PRICES_SOURCES": "coingecko", "COINGECKO_API_URL": devchain.baseURL + "/coingecko/api/v3",
      "COINGECKO_REQUESTS_PER_MINUTE": "0", "PRICES_REFRESH_INTERVAL": "0.1",
    ]
  }

  func measureValueEvents(
    devchain: DevChainServer, deployment: BenchDeployment, receiver: DeliveryReceiver, base: String
  ) async throws {
    let port = deployment.server.port
    let live = "/value/live"
    try await post(port, "/api/v1/webhooks", #"{"url":"\#(base)\#(live)","event_types":["value.changed"]}"#)
    let started = ContinuousClock.now
    for move in 1...priceMoves {
      let before = receiver.count(live)
      try devchain.chain.setCoinPrice(coin: "ethereum", usd: Self.prices[move % 2])
      // Balances move between price moves, so the events' holdings differ.
      for offset in 0..<10 {
        let wallet = deployment.wallets[(move * 10 + offset) % deployment.wallets.count]
        try devchain.chain.setBalance(
          chain: "ethereum", address: wallet.checksummed, token: nil, amount: "\(9_000_000 + move)")
      }
      try await Self.wait(seconds: 60, "price move \(move) was not delivered") {
        receiver.count(live) > before
      }
    }
    let expected = receiver.count(live)
    say(
      "value.changed live: \(expected) events for \(priceMoves) price moves in "
        + String(format: "%.1f s", (ContinuousClock.now - started).inSeconds))

    // The replay: the log from seq 1, every value event's data read back from it.
    try await Task.sleep(for: .seconds(1))  // the last balance moves are read meanwhile
    let logLength = try await deployment.seq()
    var endpoints: [(path: String, id: String)] = []
    for index in 0..<webhooks {
      let path = "/value/replay\(index)"
      guard
        let id = try await post(
          port, "/api/v1/webhooks", #"{"url":"\#(base)\#(path)","event_types":["value.changed"]}"#)
      else { throw BenchError("POST /api/v1/webhooks answered no id") }
      endpoints.append((path, id))
    }
    let replayStarted = ContinuousClock.now
    for endpoint in endpoints {
      try await post(port, "/api/v1/webhooks/\(endpoint.id)/redeliver", #"{"from_seq":1}"#)
    }
    try await Self.wait(seconds: 600, "the replay did not finish in 600 s") {
      endpoints.allSatisfy { receiver.count($0.path) >= expected }
    }
    let times = endpoints.flatMap { receiver.times($0.path) }
    let seconds = ((times.max() ?? replayStarted) - replayStarted).inSeconds
    say(
      "value.changed replayed: a log of \(logLength) seqs from seq 1 to \(endpoints.count) webhooks, "
        + String(
          format: "%d events in %.2f s: %.0f deliveries/s", times.count, seconds,
          Double(times.count) / max(seconds, 0.001)))
  }

  private static func wait(seconds: Int, _ failure: String, until done: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !done() {
      guard ContinuousClock.now < deadline else { throw BenchError(failure) }
      try await Task.sleep(for: .milliseconds(20))
    }
  }
}
