import ArgumentParser
import Foundation
import PortfolioCore
import Storage

/// `portfolio-bench storage`: how fast the change log takes writes, and how long the portfolio
/// history endpoint takes over a year of hourly buckets. The year is written through the same
/// transaction the poller uses, one refresh cycle per step, into a real SQLite file.
struct StorageBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "storage",
    abstract: "Change-log insert rate and the latency of a one-year hourly history query.")

  @Option(help: "Wallets.") var wallets = 1000
  @Option(help: "Refresh cycles spread over the year; every wallet changes in each.") var cycles = 365
  @Option(help: "Assets per wallet (the native coin and tokens); each changes every cycle.") var assets = 2
  @Option(help: "History queries to time.") var queries = 10

  func run() async throws {
    say(Machine.description)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("portfolio-bench-\(UUID())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("storage.sqlite").path
    let database = try AppDatabase(path: path)
    let year: TimeInterval = 365 * 86400
    let end = Date()
    let start = end.addingTimeInterval(-year)
    let owners = (0..<wallets).compactMap { BenchWallets.evm($0) }
    let list = owners.map {
      Wallet(chain: "ethereum", address: $0.checksummed, label: nil, createdAt: start, updatedAt: start)
    }
    try WalletStore(database).addAll(list)
    let tokens = (1..<max(assets, 1)).map { index in
      (1...20).reduce("0x") { text, _ in text + String(format: "%02x", index) }
    }
    let store = BalanceStore(database)
    var written = 0
    var longest = Duration.zero
    let began = ContinuousClock.now
    for cycle in 0..<cycles {
      let at = start.addingTimeInterval(year * Double(cycle) / Double(max(cycles, 1)))
      var readings: [StoredBalance] = []
      for (index, wallet) in list.enumerated() {
        let raw = BaseUnits(UInt64(1_000_000_000_000 + cycle * 1000 + index))
        readings.append(
          StoredBalance(
            walletID: wallet.id, token: nil, symbol: "ETH", decimals: 18, raw: raw, block: UInt64(cycle),
            updatedAt: at))
        for (number, token) in tokens.enumerated() {
          readings.append(
            StoredBalance(
              walletID: wallet.id, token: token, symbol: "T\(number)", decimals: 6, raw: raw,
              block: UInt64(cycle),
              updatedAt: at))
        }
      }
      let cycleStart = ContinuousClock.now
      written += try store.apply(chain: "ethereum", readings: readings).count
      longest = max(longest, ContinuousClock.now - cycleStart)
    }
    let elapsed = seconds(ContinuousClock.now - began)
    try database.close()
    say(
      "storage: \(written) changes (\(wallets) wallets × \(assets) assets × \(cycles) cycles) in \(format(elapsed)) s: "
        + "\(Int(Double(written) / elapsed)) changes/s, one transaction per cycle of \(wallets * assets) "
        + "balances, longest \(format(seconds(longest) * 1000)) ms")

    let server = try await ServerProcess(
      binary: BenchBinaries.path("portfolio-server"), database: path,
      // Ethereum stays on (a chain must be) but points at a closed port: no poll writes.
      environment: ServerProcess.ethereumOnly.merging(["ETHEREUM_RPC_URL": "http://127.0.0.1:9/"]) { $1 },
      logPath: folder.appendingPathComponent("server.log").path)
    defer { server.stop() }
    let query =
      "/api/v1/portfolio/history?from=\(Int(start.timeIntervalSince1970))&to=\(Int(end.timeIntervalSince1970))&interval=hour"
    var times: [Double] = []
    var size = 0
    for _ in 0..<max(queries, 1) {
      let sent = ContinuousClock.now
      let response = try await LoopbackHTTP.get(port: server.port, path: query)
      times.append(seconds(ContinuousClock.now - sent) * 1000)
      guard response.status == 200 else { throw BenchError("history answered \(response.status)") }
      size = response.body.count
    }
    let sorted = times.sorted()
    say(
      "  history: one year hourly (8,760 buckets × \(assets) assets, \(size / 1024) KiB) over \(wallets) wallets: "
        + "p50 \(format(Percentile.of(sorted, 0.5))) ms, max \(format(sorted.last ?? 0)) ms over \(times.count) queries"
    )
  }
}
