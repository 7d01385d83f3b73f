import ArgumentParser
import DevChain
import Foundation

/// `portfolio-bench metrics`: what a Prometheus scrape of `/metrics` costs with many wallets
/// and stream subscribers: its size and time, beside `/api/v1/live` (the cheapest answer the
/// same server gives) as the floor, timed in the same run.
struct MetricsBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "metrics", abstract: "Scrape size and time of /metrics with many wallets and subscribers.")

  @Option(help: "Ethereum wallets the server tracks.") var wallets = 10_000
  @Option(help: "WebSocket subscribers on the portfolio topic.") var subscribers = 1_000
  @Option(help: "Scrapes timed (after two to warm up).") var scrapes = 50
  @Option(help: "The server's Ethereum poll interval in seconds.") var pollInterval = 1.0

  func run() async throws {
    let limit = FileLimit.raise()
    guard subscribers + 100 < limit else {
      throw ValidationError("--subscribers must be below the open-file limit (\(limit)) less 100")
    }
    say(Machine.description)
    let devchain = try DevChainServer()
    let deployment = try await BenchDeployment(
      devchain: devchain, wallets: wallets, tokens: 1, pollInterval: pollInterval)
    defer {
      deployment.stop()
    }
    let port = deployment.server.port
    // Subscribers resume from the current seq, as in `fanout`: a snapshot of every wallet for
    // each would measure snapshots, not scrapes.
    let subscribe =
      #"{"op":"subscribe","topic":"portfolio","since":\#(try await deployment.seq()),"epoch":"\#(deployment.epoch)"}"#
    let clients = try StreamClients(port: port, count: subscribers, subscribe: subscribe)
    defer { clients.stop() }
    _ = try await clients.waitUntilSubscribed(count: subscribers, since: .now)
    // Traffic that fills the figures a real server has: polls, and a spread of routes.
    for path in [
      "/api/v1/wallets", "/api/v1/portfolio", "/api/v1/health", "/api/v1/chains", "/api/v1/nowhere",
    ] {
      _ = try await LoopbackHTTP.get(port: port, path: path)
    }
    try await Task.sleep(for: .seconds(max(2, pollInterval * 3)))

    let scrape = try await time(port: port, path: "/metrics")
    let floor = try await time(port: port, path: "/api/v1/live")
    let connections = scrape.lastBody.split(separator: "\n").first {
      $0.hasPrefix("portfolio_websocket_connections ")
    }
    say(
      "metrics: \(wallets) wallets, \(subscribers) subscribers (\(connections ?? "connections not reported")), "
        + "\(scrapes) scrapes")
    say(
      "  /metrics: \(scrape.bytes) bytes, \(scrape.lines) lines (\(scrape.series) samples); "
        + "p50 \(format(scrape.p50)) ms, p99 \(format(scrape.p99)) ms, max \(format(scrape.max)) ms")
    say(
      "  /api/v1/live (floor): p50 \(format(floor.p50)) ms; /metrics takes \(format(scrape.p50 / max(floor.p50, 0.001)))× "
        + "the floor at p50")
    if clients.progress.failed > 0 {
      say("  \(clients.progress.failed) subscribers failed: \(clients.progress.firstError ?? "?")")
    }
  }

  private struct Timing {
    var p50: Double
    var p99: Double
    var max: Double
    var bytes: Int
    var lines: Int
    var series: Int
    var lastBody: String
  }

  /// Times `scrapes` GETs of `path` one after another, after two untimed ones.
  private func time(port: Int, path: String) async throws -> Timing {
    var milliseconds: [Double] = []
    var body: [UInt8] = []
    for index in 0..<(scrapes + 2) {
      let started = ContinuousClock.now
      let response = try await LoopbackHTTP.get(port: port, path: path)
      let took = ContinuousClock.now - started
      guard response.status == 200 else { throw BenchError("GET \(path) answered \(response.status)") }
      if index >= 2 { milliseconds.append(seconds(took) * 1000) }
      body = response.body
    }
    let sorted = milliseconds.sorted()
    let text = String(decoding: body, as: UTF8.self)
    let lines = text.split(separator: "\n")
    return Timing(
      p50: Percentile.of(sorted, 0.5), p99: Percentile.of(sorted, 0.99), max: sorted.last ?? 0,
      bytes: body.count,
      lines: lines.count, series: lines.filter { !$0.hasPrefix("#") }.count, lastBody: text)
  }
}
