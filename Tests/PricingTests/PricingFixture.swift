import ChainClients
import CurlHTTP
import DevChain
import Foundation
import PortfolioConfig
import PortfolioCore
import Pricing

/// A devchain on an ephemeral loopback port and an HTTP client, stopped on every path.
func withDevChain<T>(_ body: (DevChainServer, HTTPClient) async throws -> T) async throws -> T {
  let devchain = try DevChainServer()
  let http = HTTPClient()
  do {
    let result = try await body(devchain, http)
    http.shutdown()
    await devchain.stop()
    return result
  } catch {
    http.shutdown()
    await devchain.stop()
    throw error
  }
}

/// The configuration a server would load, with devchain as CoinGecko and as the Ethereum node,
/// and no pace limit so tests take milliseconds.
func priceConfig(_ devchain: DevChainServer, _ environment: [String: String] = [:]) throws -> AppConfig {
  try ConfigLoader.load(
    environment: [
      "COINGECKO_API_URL": devchain.baseURL + "/coingecko/api/v3",
      "COINGECKO_REQUESTS_PER_MINUTE": "0",
      "ETHEREUM_RPC_URL": devchain.ethereumURL,
      "SOLANA_RPC_URL": devchain.solanaURL,
    ].merging(environment) { $1 })
}

/// Fast retries and a short breaker cool-down.
func quickTuning(attempts: Int = 3, breakerThreshold: Int = 50, coolDown: Duration = .milliseconds(300))
  -> CoinGeckoSource.Tuning
{
  var tuning = CoinGeckoSource.Tuning()
  tuning.retry = RetryPolicy(
    maxAttempts: attempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20),
    maxRetryAfter: .seconds(5))
  tuning.breakerThreshold = breakerThreshold
  tuning.breakerCoolDown = coolDown
  return tuning
}

/// Devchain's Ethereum reader, retrying quickly.
func ethereumReader(_ devchain: DevChainServer, _ http: HTTPClient, attempts: Int = 2) -> EVMBalanceReader {
  var settings = RPCClient.Settings()
  settings.retry = RetryPolicy(
    maxAttempts: attempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
  settings.timeout = .seconds(30)
  return EVMBalanceReader(
    rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http, settings: settings))
}

/// Unix seconds `ago` seconds before now.
func unixSeconds(ago: Double) -> Int64 { Int64(Date().timeIntervalSince1970 - ago) }

func price(_ text: String) -> USDPrice? { USDPrice(text: text) }

let ethereumNative = AssetKey(chain: "ethereum", token: nil)
let usdtAddress = "0xdAC17F958D2ee523a2206206994597C13D831ec7"
let usdcAddress = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
let ethUSDFeed = "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"
let usdcUSDFeed = "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6"
let usdcMint = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"

/// Deterministic distinct EVM token addresses, EIP-55 as balances store them.
func tokenAddress(_ index: Int) -> String {
  let hex = "0x" + String(repeating: "0", count: 24) + String(format: "%016x", index + 1)
  return (try? EVMAddress(parsing: hex).checksummed) ?? hex
}
