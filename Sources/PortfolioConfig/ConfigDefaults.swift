/// The built-in defaults. `config/default.yaml` documents the same values, and a test keeps
/// the two equal.
enum ConfigDefaults {
  static let values: [String: String] = [
    "server.host": "127.0.0.1",
    "server.port": "8080",
    "server.static_dir": "web-static",
    "server.max_body_bytes": "1048576",
    "server.max_ws_message_bytes": "65536",
    "server.keep_alive_seconds": "60",
    "server.shutdown_grace_seconds": "10",
    "server.stream_ring_frames": "4096",
    "server.stream_ring_bytes": "33554432",
    "database.url": "./data/portfolio.sqlite",
    "log.level": "info",
    "log.format": "text",
    "rate_limit.requests": "1200",
    "rate_limit.window_seconds": "60",
    "cache.ttl": "300",
    "tokens.list_file": "config/tokens.yaml",
  ]
  .merging(
    chain(
      "ethereum", family: "evm", chainID: 1, symbol: "ETH", poll: "12",
      rpc: "https://ethereum-rpc.publicnode.com")
  ) { $1 }
  .merging(
    chain(
      "solana", family: "solana", chainID: nil, symbol: "SOL", decimals: 9,
      poll: "2", rpc: "https://api.mainnet-beta.solana.com")
  ) { $1 }
  .merging(
    chain(
      "polygon", family: "evm", chainID: 137, symbol: "POL", poll: "4",
      rpc: "https://polygon-bor-rpc.publicnode.com")
  ) { $1 }
  .merging(
    chain(
      "arbitrum", family: "evm", chainID: 42161, symbol: "ETH", poll: "4",
      rpc: "https://arb1.arbitrum.io/rpc")
  ) { $1 }
  .merging(
    chain(
      "optimism", family: "evm", chainID: 10, symbol: "ETH", poll: "4",
      rpc: "https://mainnet.optimism.io")
  ) { $1 }
  .merging(
    chain(
      "base", family: "evm", chainID: 8453, symbol: "ETH", poll: "4",
      rpc: "https://mainnet.base.org")
  ) { $1 }
  .merging(
    chain(
      "bsc", family: "evm", chainID: 56, symbol: "BNB", poll: "6",
      rpc: "https://bsc-dataseed.bnbchain.org")
  ) { $1 }

  private static func chain(
    _ name: String, family: String, chainID: Int?, symbol: String, decimals: Int = 18,
    poll: String, rpc: String
  ) -> [String: String] {
    var values = [
      "chains.\(name).family": family,
      "chains.\(name).rpc_url": rpc,
      "chains.\(name).native_symbol": symbol,
      "chains.\(name).native_decimals": String(decimals),
      "chains.\(name).poll_interval": poll,
      "chains.\(name).enabled": "true",
    ]
    values["chains.\(name).requests_per_second"] = "10"
    if let chainID {
      values["chains.\(name).chain_id"] = String(chainID)
      values["chains.\(name).multicall_address"] = "0xcA11bde05977b3631167028862bE2a173976CA11"
      values["chains.\(name).calls_per_multicall"] = "200"
    } else {
      values["chains.\(name).commitment"] = "confirmed"
    }
    return values
  }
}
