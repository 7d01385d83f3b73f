import ArgumentParser
import DevChain
import Foundation

/// `portfolio-bench rest`: throughput and p99 of REST reads beside a small static file of the
/// same server in the same run, which is the floor the API is compared with. The load comes
/// from `wrk` (Debian's package), a C load generator that costs the server's cores less than
/// any client written here would.
struct RESTBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rest",
    abstract: "REST throughput and p99 against a static file of the same server (needs wrk).")

  @Option(help: "Ethereum wallets the server tracks.") var wallets = 1000
  @Option(help: "ERC-20 tokens read per wallet.") var tokens = 6
  @Option(help: "Seconds per wrk run.") var duration = 8
  @Option(help: "Open connections.") var connections = 32
  @Option(help: "Rounds; each runs every path once, in turn.") var rounds = 2

  func run() async throws {
    guard let wrk = Self.findWrk() else {
      throw ValidationError("wrk is not installed: apt-get install wrk")
    }
    say(Machine.description)
    let devchain = try DevChainServer()
    // Poll rarely: the run measures reads, not the poller.
    let deployment = try await BenchDeployment(
      devchain: devchain, wallets: wallets, tokens: tokens, pollInterval: 3600)
    defer { deployment.stop() }
    let port = deployment.server.port
    let paths = ["/" + BenchDeployment.staticFile, "/api/v1/portfolio", "/api/v1/wallets"]
    var results: [String: [WrkResult]] = [:]
    for _ in 0..<rounds {
      for path in paths {
        let result = try WrkResult.run(
          wrk: wrk, url: "http://127.0.0.1:\(port)\(path)", seconds: duration, connections: connections)
        results[path, default: []].append(result)
      }
    }
    let bytes = try await paths.asyncMap { try await LoopbackHTTP.get(port: port, path: $0).body.count }
    let floor = results[paths[0]].map { $0.map(\.requestsPerSecond).max() ?? 0 } ?? 0
    say(
      "rest: \(wallets) wallets × \(tokens) tokens, wrk -t1 -c\(connections) -d\(duration)s, best of \(rounds) "
        + "rounds (paths in turn)")
    for (path, size) in zip(paths, bytes) {
      let runs = results[path] ?? []
      let best = runs.max { $0.requestsPerSecond < $1.requestsPerSecond }
      let rates = runs.map { String(Int($0.requestsPerSecond)) }.joined(separator: " / ")
      say(
        "  GET \(path) (\(size) B): \(rates) req/s, p99 \(best?.p99 ?? "?"), "
          + "ratio to the static file \(String(format: "%.2f", (best?.requestsPerSecond ?? 0) / max(floor, 1)))"
      )
    }
    await devchain.stop()
  }

  static func findWrk() -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
      let path = "\(directory)/wrk"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }
}

/// One wrk run's figures.
struct WrkResult {
  let requestsPerSecond: Double
  let p99: String

  static func run(wrk: String, url: String, seconds: Int, connections: Int) throws -> WrkResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: wrk)
    process.arguments = ["-t1", "-c\(connections)", "-d\(seconds)s", "--latency", url]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    guard
      let rate = lines.first(where: { $0.hasPrefix("Requests/sec:") })?.split(separator: " ").last
        .flatMap({ Double($0) })
    else { throw BenchError("wrk printed no rate for \(url):\n\(text)") }
    if let errors = lines.first(where: { $0.hasPrefix("Non-2xx") }) {
      throw BenchError("\(url): \(errors)")
    }
    let p99 = lines.first { $0.hasPrefix("99%") }?.split(separator: " ").last.map(String.init) ?? "?"
    return WrkResult(requestsPerSecond: rate, p99: p99)
  }
}

extension Array {
  func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
    var results: [T] = []
    for element in self { results.append(try await transform(element)) }
    return results
  }
}
