/// The demo's USD prices: CoinGecko prices for the coins and the demo's tokens, and Chainlink
/// feeds at the mainnet ETH/USD and USDC/USD addresses. Each step moves every price a fraction
/// of a percent at random, pulled a little back toward where it started so that an afternoon
/// of demo still shows believable prices.
struct DevChainDemoPrices: Sendable {
  struct Asset: Sendable {
    var name: String
    var coin: String?
    /// (CoinGecko platform id, contract or mint).
    var contracts: [(platform: String, address: String)] = []
    var feed: String?
    /// Where the walk starts and what it drifts back to, in 10^-8 dollars (a feed's units).
    var anchor: Int64
    /// The largest move of one step, in hundredths of a basis point.
    var volatility: Int64
    var current: Int64

    init(
      name: String, coin: String?, contracts: [(platform: String, address: String)] = [], feed: String? = nil,
      dollars: Int64, volatility: Int64
    ) {
      self.name = name
      self.coin = coin
      self.contracts = contracts
      self.feed = feed
      self.anchor = dollars
      self.volatility = volatility
      self.current = dollars
    }
  }

  static let ethUSDFeed = "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"
  static let usdcUSDFeed = "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6"
  static let feedDecimals: UInt8 = 8
  static let unitsPerDollar: Int64 = 100_000_000

  var assets: [Asset]

  init(usdcMint: String) {
    assets = [
      Asset(
        name: "ETH", coin: "ethereum", feed: Self.ethUSDFeed, dollars: 341_257_000_000, volatility: 2_500),
      Asset(name: "SOL", coin: "solana", dollars: 18_742_000_000, volatility: 3_000),
      Asset(
        name: "USDC", coin: "usd-coin",
        contracts: [
          (platform: "ethereum", address: DevChainDemo.usdc), (platform: "solana", address: usdcMint),
        ],
        feed: Self.usdcUSDFeed, dollars: 100_000_000, volatility: 100),
    ]
  }

  /// Writes every price into `chain`.
  func apply(to chain: DevChain) throws {
    for asset in assets {
      let usd = Self.text(asset.current)
      if let coin = asset.coin { try chain.setCoinPrice(coin: coin, usd: usd) }
      for (platform, address) in asset.contracts {
        try chain.setTokenPrice(platform: platform, contract: address, usd: usd)
      }
      if let feed = asset.feed {
        try chain.setPriceFeed(
          chain: "ethereum", address: feed, usd: usd, decimals: Self.feedDecimals,
          description: "\(asset.name) / USD")
      }
    }
  }

  /// Moves every price one step.
  mutating func walk() {
    for index in assets.indices {
      let asset = assets[index]
      let noise = Int64.random(in: -asset.volatility...asset.volatility)
      let move = asset.current / 1_000_000 * noise + (asset.anchor - asset.current) / 20
      assets[index].current = max(1, asset.current + move)
    }
  }

  /// One line for the demo's start.
  var summary: String {
    let prices = assets.map { "\($0.name) \(Self.text($0.current))" }.joined(separator: ", ")
    return "demo prices (USD): \(prices) at /coingecko/api/v3; Chainlink feeds ETH/USD \(Self.ethUSDFeed), "
      + "USDC/USD \(Self.usdcUSDFeed) (\(Self.feedDecimals) decimals)"
  }

  /// 10^-8 dollars as decimal text without trailing zeros: `3412.57`, `1`.
  static func text(_ units: Int64) -> String {
    let whole = units / unitsPerDollar
    var fraction = String(units % unitsPerDollar)
    fraction = String(repeating: "0", count: 8 - fraction.count) + fraction
    while fraction.last == "0" { fraction.removeLast() }
    return fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
  }
}
