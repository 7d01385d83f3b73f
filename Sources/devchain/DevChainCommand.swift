import ArgumentParser
import DevChain
import Foundation
import Logging
import PortfolioCore
import WebServer

/// `devchain`: a local Ethereum and Solana JSON-RPC simulator with a CoinGecko-compatible price
/// API, for tests, demos and benchmarks.
@main
struct DevChainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "devchain",
    abstract:
      "Serves Ethereum at /ethereum, Solana at /solana and CoinGecko prices at /coingecko/api/v3 from "
      + "in-memory state, with a control API.")

  @Option(help: "Address to listen on.") var host = "127.0.0.1"
  @Option(help: "Port to listen on (0 picks a free one; the log says which).") var port = 8545
  @Option(help: "Chain id answered by eth_chainId, from 1 to \(EVMChainID.max) (EIP-2294).")
  var ethereumChainId: UInt64 = 1
  @Flag(help: "Create demo wallets, tokens and prices and move balances and prices at random.")
  var demo = false
  @Option(help: "Seconds between demo moves.") var demoInterval: Double = 3

  func validate() throws {
    guard EVMChainID.valid.contains(ethereumChainId) else {
      throw ValidationError(
        "--ethereum-chain-id must be from 1 to \(EVMChainID.max) (EIP-2294), got \(ethereumChainId)")
    }
  }

  func run() async throws {
    LoggingSystem.bootstrap(StreamLogHandler.standardError)
    let devchain = try DevChainServer(host: host, port: port, ethereumChainID: ethereumChainId)
    let chain = devchain.chain
    let server = devchain.server
    // One line on standard output, for people and for scripts that start devchain on port 0.
    say(
      "devchain listening on http://\(host):\(server.port) "
        + "(ethereum: /ethereum, solana: /solana, coingecko: /coingecko/api/v3)")
    if demo {
      for line in try DevChainDemo.seed(chain) { say(line) }
      Task { await DevChainDemo.run(chain, every: .milliseconds(Int(demoInterval * 1000))) }
    }
    await server.waitUntilStopped()
  }
}

/// Unbuffered, so a script reading the pipe sees the line at once.
func say(_ line: String) {
  FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
