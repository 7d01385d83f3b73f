import ArgumentParser
import ChainClients
import CurlHTTP
import DevChain
import Foundation
import PortfolioCore

/// `portfolio-bench refresh`: how many HTTP requests and how long one refresh of many wallets
/// costs, read over loopback from a devchain started in this process.
struct RefreshBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "refresh",
    abstract: "Time one balance refresh of many EVM and Solana wallets against devchain.")

  @Option(help: "EVM wallets.") var evmWallets = 10_000
  @Option(help: "ERC-20 tokens read per EVM wallet.") var tokens = 20
  @Option(help: "Solana wallets.") var solanaWallets = 10_000
  @Option(help: "SPL token accounts per Solana wallet.") var splTokens = 1
  @Option(help: "Calls per Multicall3 aggregate3.") var callsPerMulticall = 200
  @Option(help: "Rounds; the best and the median are reported.") var rounds = 3

  func run() async throws {
    let devchain = try DevChainServer()
    let http = HTTPClient()
    defer { http.shutdown() }
    say(Machine.description)
    try await evm(devchain, http)
    try await solana(devchain, http)
    await devchain.stop()
  }

  private func evm(_ devchain: DevChainServer, _ http: HTTPClient) async throws {
    guard evmWallets > 0 else { return }
    let chain = devchain.chain
    let tokenAddresses = try (0..<tokens).map {
      try EVMAddress(
        parsing: try chain.createToken(chain: "ethereum", address: nil, symbol: "T\($0)", decimals: 18))
    }
    let wallets = (0..<evmWallets).compactMap(BenchWallets.evm)
    for (index, wallet) in wallets.enumerated() where index % 10 == 0 {
      try chain.setBalance(chain: "ethereum", address: wallet.checksummed, token: nil, amount: "\(index + 1)")
      if let token = tokenAddresses.first {
        try chain.setBalance(
          chain: "ethereum", address: wallet.checksummed, token: token.checksummed, amount: "7")
      }
    }
    var settings = EVMBalanceReader.Settings()
    settings.callsPerMulticall = callsPerMulticall
    let reader = EVMBalanceReader(
      rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http), settings: settings)
    let (requests, times) = try await measure(devchain, chain: "ethereum") {
      let reading = try await reader.read(wallets: wallets, tokens: tokenAddresses)
      guard reading.balances.count == wallets.count * (tokens + 1) else {
        throw ValidationError(
          "read \(reading.balances.count) balances, expected \(wallets.count * (tokens + 1))")
      }
    }
    report(
      "evm", wallets: wallets.count, detail: "\(tokens) tokens, \(callsPerMulticall) calls/aggregate3",
      requests: requests, times: times)
  }

  private func solana(_ devchain: DevChainServer, _ http: HTTPClient) async throws {
    guard solanaWallets > 0 else { return }
    let chain = devchain.chain
    let mints = try (0..<splTokens).map {
      try chain.createToken(chain: "solana", address: nil, symbol: "S\($0)", decimals: 6)
    }
    let wallets = (0..<solanaWallets).compactMap { index -> SolanaAddress? in
      var bytes = [UInt8](repeating: 0x22, count: 32)
      withUnsafeBytes(of: UInt32(index).bigEndian) { bytes.replaceSubrange(28..<32, with: $0) }
      return SolanaAddress(bytes: bytes)
    }
    for wallet in wallets {
      try chain.setBalance(chain: "solana", address: wallet.base58, token: nil, amount: "1000000000")
      for mint in mints {
        try chain.setBalance(chain: "solana", address: wallet.base58, token: mint, amount: "5")
      }
    }
    let reader = SolanaBalanceReader(rpc: RPCClient(chain: "solana", urls: [devchain.solanaURL], http: http))
    let discovered = try await reader.discoverTokenAccounts(of: wallets)
    let accounts = discovered.values.flatMap { $0.map(\.address) }
    let (requests, times) = try await measure(devchain, chain: "solana") {
      let reading = try await reader.read(wallets: wallets, tokenAccounts: accounts)
      guard reading.lamports.count == wallets.count, reading.tokenAccounts.count == accounts.count else {
        throw ValidationError(
          "read \(reading.lamports.count) wallets and \(reading.tokenAccounts.count) token accounts")
      }
    }
    report(
      "solana", wallets: wallets.count,
      detail: "\(splTokens) SPL token accounts each (discovered beforehand)", requests: requests, times: times
    )
  }

  /// Runs `refresh` `rounds` times; returns devchain's HTTP request count for one round and
  /// each round's wall time in seconds.
  private func measure(_ devchain: DevChainServer, chain: String, _ refresh: () async throws -> Void)
    async throws -> (requests: Int, times: [Double])
  {
    var times: [Double] = []
    var requests = 0
    for _ in 0..<rounds {
      devchain.chain.resetStats()
      let started = ContinuousClock.now
      try await refresh()
      times.append(seconds(ContinuousClock.now - started))
      requests = devchain.chain.stats[chain]?.httpRequests ?? 0
    }
    return (requests, times)
  }

  private func report(_ name: String, wallets: Int, detail: String, requests: Int, times: [Double]) {
    let sorted = times.sorted()
    let perWallet = Double(requests) / Double(wallets)
    say(
      "refresh \(name): \(wallets) wallets, \(detail): \(requests) HTTP requests "
        + "(\(String(format: "%.4f", perWallet)) per wallet), best \(String(format: "%.3f", sorted[0])) s, "
        + "median \(String(format: "%.3f", sorted[sorted.count / 2])) s over \(times.count) rounds")
  }
}

func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
