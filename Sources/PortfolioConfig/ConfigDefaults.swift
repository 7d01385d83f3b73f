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
    "server.cors_allowed_origins": "",
    "server.tls_cert": "",
    "server.tls_key": "",
    "server.auth_required": "auto",
    "server.max_stream_connections_per_user": "20",
    "server.max_topics_per_connection": "1000",
    "database.url": "./data/portfolio.sqlite",
    "backup.directory": "",
    "backup.interval": "86400",
    "backup.keep": "7",
    "log.level": "info",
    "log.format": "text",
    "metrics.enabled": "true",
    "metrics.loopback_without_token": "true",
    "rate_limit.requests": "100",
    "notifications.allow_private_targets": "false",
    "notifications.webhook_timeout": "10",
    "notifications.retry_initial": "5",
    "notifications.retry_max_interval": "3600",
    "notifications.retry_for": "86400",
    "notifications.vapid_subject": "mailto:admin@localhost",
    "rate_limit.window_seconds": "60",
    "cache.ttl": "300",
    "tokens.list_file": "config/tokens.yaml",
    "prices.refresh_interval": "60",
    "prices.max_age": "10800",
    "prices.push_threshold": "0.5",
    "prices.sources": "coingecko,chainlink,fixed",
    "prices.fixed": "",
    "coingecko.api_url": "https://api.coingecko.com/api/v3",
    "coingecko.api_key": "",
    "coingecko.api_plan": "demo",
    "coingecko.requests_per_minute": "10",
    "coingecko.max_url_length": "2000",
    "coingecko.timeout": "10",
  ]
  .merging(
    chain(
      "ethereum", family: "evm", chainID: 1, symbol: "ETH", poll: "12",
      rpc: "https://ethereum-rpc.publicnode.com", coinID: "ethereum", platform: "ethereum",
      feeds: ethereumFeeds, explorer: "https://etherscan.io")
  ) { $1 }
  .merging(
    chain(
      "solana", family: "solana", chainID: nil, symbol: "SOL", decimals: 9,
      poll: "2", rpc: "https://api.mainnet-beta.solana.com", coinID: "solana", platform: "solana",
      explorer: "https://solscan.io")
  ) { $1 }
  .merging(
    chain(
      "polygon", family: "evm", chainID: 137, symbol: "POL", poll: "4",
      rpc: "https://polygon-bor-rpc.publicnode.com", coinID: "polygon-ecosystem-token",
      platform: "polygon-pos", explorer: "https://polygonscan.com")
  ) { $1 }
  .merging(
    chain(
      "arbitrum", family: "evm", chainID: 42161, symbol: "ETH", poll: "4",
      rpc: "https://arb1.arbitrum.io/rpc", coinID: "ethereum", platform: "arbitrum-one",
      explorer: "https://arbiscan.io")
  ) { $1 }
  .merging(
    chain(
      "optimism", family: "evm", chainID: 10, symbol: "ETH", poll: "4",
      rpc: "https://mainnet.optimism.io", coinID: "ethereum", platform: "optimistic-ethereum",
      explorer: "https://optimistic.etherscan.io")
  ) { $1 }
  .merging(
    chain(
      "base", family: "evm", chainID: 8453, symbol: "ETH", poll: "4",
      rpc: "https://mainnet.base.org", coinID: "ethereum", platform: "base", explorer: "https://basescan.org")
  ) { $1 }
  .merging(
    chain(
      "bsc", family: "evm", chainID: 56, symbol: "BNB", poll: "6",
      rpc: "https://bsc-dataseed.bnbchain.org", coinID: "binancecoin", platform: "binance-smart-chain",
      explorer: "https://bscscan.com")
  ) { $1 }

  /// Chainlink feeds on Ethereum mainnet (data.chain.link), each with its heartbeat: ETH/USD
  /// for ETH and WETH (redeemable 1:1), then USDC/USD, USDT/USD and DAI/USD for the listed
  /// stablecoins.
  static let ethereumFeeds = [
    "ETH=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419@3600",
    "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2=0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419@3600",
    "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48=0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6@86400",
    "0xdAC17F958D2ee523a2206206994597C13D831ec7=0x3E7d1eAB13ad0104d2750B8863b489D65364e32D@86400",
    "0x6B175474E89094C44Da98b954EedeAC495271d0F=0xAed0c38402a5d19df6E4c03F4E2DceD6e29c1ee9@86400",
  ].joined(separator: ",")

  private static func chain(
    _ name: String, family: String, chainID: Int?, symbol: String, decimals: Int = 18,
    poll: String, rpc: String, coinID: String, platform: String, feeds: String = "", explorer: String
  ) -> [String: String] {
    var values = [
      "chains.\(name).explorer_url": explorer,
      "chains.\(name).coin_id": coinID,
      "chains.\(name).price_platform": platform,
      "chains.\(name).price_feeds": feeds,
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
