import ArgumentParser
import CurlHTTP
import DevChain
import Foundation

/// `portfolio-bench import`: one `POST /api/v1/wallets/import` of many new wallets into a
/// running server. Reports how long the answer took, how long until every wallet had been read
/// from the chain, and how many chain HTTP requests that cost.
struct ImportBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "A bulk import: answer time, time until every wallet is read, chain requests.")

  @Option(help: "Wallets in the import.") var wallets = 10_000
  @Option(help: "ERC-20 tokens read per wallet.") var tokens = 20
  @Option(help: "The server's Ethereum poll interval in seconds.") var pollInterval = 12.0
  @Option(help: "Runs; each starts a fresh server.") var rounds = 3

  func run() async throws {
    say(Machine.description)
    let devchain = try DevChainServer()
    for round in 1...rounds {
      try await measure(round: round, devchain: devchain)
    }
    await devchain.stop()
  }

  private func measure(round: Int, devchain: DevChainServer) async throws {
    let deployment = try await BenchDeployment(
      devchain: devchain, wallets: 0, tokens: tokens, pollInterval: pollInterval)
    defer { deployment.stop() }
    let port = deployment.server.port
    // Fresh addresses each round, every one holding ETH, so "read" shows in the totals.
    let addresses = (0..<wallets).compactMap { BenchWallets.evm(1_000_000 * round + $0)?.checksummed }
    for (index, address) in addresses.enumerated() {
      try devchain.chain.setBalance(chain: "ethereum", address: address, token: nil, amount: "\(index + 1)")
    }
    let rows = addresses.enumerated().map { #"{"chain":"ethereum","address":"\#($1)","label":"w\#($0)"}"# }
    let body = Array("[\(rows.joined(separator: ","))]".utf8)
    try await Task.sleep(for: .milliseconds(200))  // the server's first empty cycle is done
    let before = devchain.chain.stats["ethereum"]?.httpRequests ?? 0

    let started = ContinuousClock.now
    let response = try await LoopbackHTTP.client.send(
      HTTPClientRequest(
        url: "http://127.0.0.1:\(port)/api/v1/wallets/import", method: "POST",
        headers: [("Content-Type", "application/json")], body: body, timeout: .seconds(120)))
    let answered = ContinuousClock.now
    guard response.status == 200,
      let result = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
      result["created"] as? Int == addresses.count
    else {
      throw BenchError(
        "the import answered \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))"
      )
    }
    var read = 0
    let deadline = answered + .seconds(120)
    while read < addresses.count {
      guard ContinuousClock.now < deadline else {
        throw BenchError("only \(read) of \(addresses.count) wallets read after 120 s")
      }
      let portfolio = try await LoopbackHTTP.json(port: port, path: "/api/v1/portfolio")
      let totals = portfolio["totals"] as? [[String: Any]] ?? []
      read =
        totals.first { $0["token"] is NSNull && $0["chain"] as? String == "ethereum" }?["wallets"] as? Int
        ?? 0
      if read < addresses.count { try await Task.sleep(for: .milliseconds(20)) }
    }
    let allRead = ContinuousClock.now
    let requests = (devchain.chain.stats["ethereum"]?.httpRequests ?? 0) - before
    say(
      "import round \(round): \(addresses.count) wallets × \(tokens) tokens, poll interval \(pollInterval) s: "
        + "answered in \(milliseconds(answered - started)) ms; every wallet read \(milliseconds(allRead - answered)) ms "
        + "after the answer; \(requests) chain HTTP requests (\(String(format: "%.4f", Double(requests) / Double(addresses.count))) per wallet)"
    )
  }

  private func milliseconds(_ duration: Duration) -> String {
    String(
      format: "%.0f",
      Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
  }
}
