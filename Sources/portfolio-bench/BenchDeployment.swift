import DevChain
import Foundation
import PortfolioCore
import Storage

/// A release server in its own process with `wallets` Ethereum wallets, each read with
/// `tokens` ERC-20 tokens, polling a devchain that runs in this process. Wallets are written
/// into the database before the server starts, as an import would.
final class BenchDeployment {
  let server: ServerProcess
  let epoch: String
  let folder: URL
  let wallets: [EVMAddress]
  /// A small file the server serves from its static folder: the floor for REST figures.
  static let staticFile = "floor.html"

  init(
    devchain: DevChainServer, wallets count: Int, tokens: Int, pollInterval: Double,
    environment extra: [String: String] = [:]
  ) async throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("portfolio-bench-\(UUID())")
    let staticFolder = folder.appendingPathComponent("static")
    try FileManager.default.createDirectory(at: staticFolder, withIntermediateDirectories: true)
    try Data(Self.floorPage.utf8).write(to: staticFolder.appendingPathComponent(Self.staticFile))

    let chain = devchain.chain
    var tokenList = tokens == 0 ? "ethereum: []\n" : "ethereum:\n"
    var tokenAddresses: [String] = []
    for index in 0..<tokens {
      let address = try chain.createToken(chain: "ethereum", address: nil, symbol: "B\(index)", decimals: 18)
      tokenAddresses.append(address)
      tokenList += "  - {address: \"\(address)\", symbol: B\(index), decimals: 18}\n"
    }
    let tokenFile = folder.appendingPathComponent("tokens.yaml")
    try Data(tokenList.utf8).write(to: tokenFile)

    wallets = (0..<count).compactMap { BenchWallets.evm($0) }
    for (index, wallet) in wallets.enumerated() {
      try chain.setBalance(
        chain: "ethereum", address: wallet.checksummed, token: nil, amount: "\(1_000_000 + index)")
      if index % 10 == 0, let token = tokenAddresses.first {
        try chain.setBalance(chain: "ethereum", address: wallet.checksummed, token: token, amount: "7")
      }
    }
    let databasePath = folder.appendingPathComponent("bench.sqlite").path
    let database = try AppDatabase(path: databasePath)
    let now = Date()
    try WalletStore(database).addAll(
      wallets.map {
        Wallet(chain: "ethereum", address: $0.checksummed, label: nil, createdAt: now, updatedAt: now)
      })
    epoch = database.epoch()
    try database.close()

    let environment = ServerProcess.ethereumOnly.merging([
      "ETHEREUM_RPC_URL": devchain.ethereumURL, "ETHEREUM_POLL_INTERVAL": "\(pollInterval)",
      "ETHEREUM_REQUESTS_PER_SECOND": "0", "TOKENS_LIST_FILE": tokenFile.path,
      "SERVER_STATIC_DIR": staticFolder.path,
    ]) { $1 }.merging(extra) { $1 }
    server = try await ServerProcess(
      binary: BenchBinaries.path("portfolio-server"), database: databasePath, environment: environment,
      logPath: folder.appendingPathComponent("server.log").path)
    // The first poll stores every balance; wait until its changes are all in the log, after
    // the wallets' own `wallet_added` events.
    let expected = count + count + (tokens > 0 ? (count + 9) / 10 : 0)
    let deadline = ContinuousClock.now + .seconds(120)
    while try await seq() < expected {
      guard ContinuousClock.now < deadline else {
        throw BenchError("the server's first read did not finish; see \(server.logPath)")
      }
      try await Task.sleep(for: .milliseconds(100))
    }
  }

  /// The change log's last `seq`, from `GET /api/v1/portfolio`.
  func seq() async throws -> Int {
    (try await LoopbackHTTP.json(port: server.port, path: "/api/v1/portfolio")["seq"] as? Int) ?? 0
  }

  func stop() {
    server.stop()
    try? FileManager.default.removeItem(at: folder)
  }

  private static let floorPage =
    "<!doctype html><title>floor</title><p>"
    + String(repeating: "A small static page served by the same server, as the floor. ", count: 8) + "</p>\n"
}

/// Deterministic wallet addresses, the same in every run.
enum BenchWallets {
  static func evm(_ index: Int) -> EVMAddress? {
    var bytes = [UInt8](repeating: 0x22, count: 20)
    withUnsafeBytes(of: UInt32(index).bigEndian) { bytes.replaceSubrange(16..<20, with: $0) }
    return EVMAddress(bytes: bytes)
  }
}
