import ArgumentParser
import DevChain
import Foundation

/// `portfolio-bench fanout`: many WebSocket subscribers on `portfolio` while devchain moves
/// balances. Reports deliveries per second, the latency from the end of the server's chain read
/// to each client's receipt, and the server's memory.
struct FanOutBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fanout",
    abstract: "Deliveries per second, read-to-receipt latency and server memory with many subscribers.")

  @Option(help: "Subscriber counts to run, comma-separated.") var subscribers = "1000,10000"
  @Option(help: "Ethereum wallets the server tracks.") var wallets = 100
  @Option(help: "ERC-20 tokens read per wallet.") var tokens = 6
  @Option(help: "Seconds balances move for in each run.") var duration = 10.0
  @Option(help: "Balance changes made on devchain per second.") var changesPerSecond = 20.0
  @Option(help: "The server's Ethereum poll interval in seconds.") var pollInterval = 0.05

  func run() async throws {
    let limit = FileLimit.raise()
    say(Machine.description)
    let counts = subscribers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard let largest = counts.max(), largest + 100 < limit else {
      throw ValidationError("subscriber counts must be numbers below the open-file limit (\(limit))")
    }
    let devchain = try DevChainServer()
    for count in counts {
      try await measure(subscribers: count, devchain: devchain)
    }
    await devchain.stop()
  }

  private func measure(subscribers count: Int, devchain: DevChainServer) async throws {
    let deployment = try await BenchDeployment(
      devchain: devchain, wallets: wallets, tokens: tokens, pollInterval: pollInterval)
    defer { deployment.stop() }
    let server = deployment.server
    let idleRSS = server.residentBytes

    // Subscribers resume from the current seq: each starts with a `resumed` frame, not a
    // snapshot of every wallet, so the run measures the live diffs.
    let subscribe =
      #"{"op":"subscribe","topic":"portfolio","since":\#(try await deployment.seq()),"epoch":"\#(deployment.epoch)"}"#
    let connectStart = ContinuousClock.now
    let clients = try StreamClients(port: server.port, count: count, subscribe: subscribe)
    defer { clients.stop() }
    let connectTime = try await clients.waitUntilSubscribed(count: count, since: connectStart)
    let connected = clients.progress
    guard connected.failed == 0 else {
      throw BenchError("\(connected.failed) connections failed: \(connected.firstError ?? "?")")
    }
    try await Task.sleep(for: .milliseconds(500))
    let subscribedRSS = server.residentBytes
    _ = clients.takeLatencies()

    // Move balances at the asked rate; every poll cycle that sees them publishes one diff.
    var peakRSS = subscribedRSS
    var changes = 0
    let started = ContinuousClock.now
    let spacing = Duration.seconds(1 / changesPerSecond)
    while ContinuousClock.now - started < .seconds(duration) {
      let wallet = deployment.wallets[changes % deployment.wallets.count]
      try devchain.chain.setBalance(
        chain: "ethereum", address: wallet.checksummed, token: nil, amount: "\(2_000_000 + changes)")
      changes += 1
      if changes % 10 == 0 { peakRSS = max(peakRSS, server.residentBytes) }
      try await Task.sleep(until: started + spacing * changes)
    }
    // Let the last cycle reach every client.
    try await Task.sleep(for: .seconds(max(1, pollInterval * 4)))
    peakRSS = max(peakRSS, server.residentBytes)
    let (latencies, first, last) = clients.takeLatencies()
    let after = clients.progress
    let health = try await LoopbackHTTP.json(port: server.port, path: "/api/v1/health")

    let window = max(0.001, ((last ?? 0) - (first ?? 0)) / 1000)
    let sorted = latencies.sorted()
    let perClient = Double(latencies.count) / Double(count)
    say(
      "fanout: \(count) subscribers (connected in \(format(seconds(connectTime))) s), \(wallets) wallets × "
        + "\(tokens) tokens, \(changes) balance changes over \(format(duration)) s")
    say(
      "  deliveries: \(latencies.count) diff frames, \(format(perClient)) per subscriber, "
        + "\(Int(Double(latencies.count) / window))/s over \(format(window)) s from first to last receipt")
    say(
      "  read → receipt: p50 \(format(Percentile.of(sorted, 0.5))) ms, p99 \(format(Percentile.of(sorted, 0.99))) ms, "
        + "max \(format(sorted.last ?? 0)) ms")
    if let stream = health["stream"] as? [String: Any] {
      say(
        "  server read → write (\(stream["frames"] ?? "?") frames): p50 \(stream["read_to_write_p50_ms"] ?? "?") ms, "
          + "p99 \(stream["read_to_write_p99_ms"] ?? "?") ms, max \(stream["read_to_write_max_ms"] ?? "?") ms"
      )
    }
    let chains = health["chains"] as? [String: [String: Any]] ?? [:]
    if let read = chains["ethereum"]?["last_read_seconds"] as? Double {
      say("  server's last full read of every wallet: \(format(read * 1000)) ms")
    }
    let perConnection = Double(subscribedRSS - idleRSS) / Double(count)
    say(
      "  server RSS: \(megabytes(idleRSS)) MB idle, \(megabytes(subscribedRSS)) MB with subscribers "
        + "(\(Int(perConnection / 1024)) KiB each), \(megabytes(peakRSS)) MB peak while streaming; "
        + "\(after.closed) connections closed by the server")
  }
}

enum Percentile {
  /// The value at `fraction` of a sorted array (nearest rank), 0 when empty.
  static func of(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
  }
}

func format(_ value: Double) -> String {
  String(format: value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value)
}

func megabytes(_ bytes: Int) -> String {
  String(format: "%.1f", Double(bytes) / 1_048_576)
}
