public import PortfolioCore

extension AppConfig {
  /// How USD prices are fetched and when a change is worth telling subscribers.
  public struct Prices: Sendable, Equatable {
    /// Seconds between two price refreshes.
    public var refreshInterval: Double
    /// Seconds after which a Chainlink answer is stale, unless its feed sets its own.
    public var maxAge: Double
    /// A price move below this (in percent) is not pushed to subscribers.
    public var pushThresholdPercent: Double
    /// Prices fixed in the configuration, by asset.
    public var fixed: [AssetKey: USDPrice]
    /// Sources in the order they are asked; a later one only prices what earlier ones missed.
    public var sources: [PriceSourceKind]

    /// `pushThresholdPercent` in the unit `USDPrice.distance(to:)` measures: parts per million.
    public var pushThresholdPartsPerMillion: Int { Int((pushThresholdPercent * 10_000).rounded()) }
  }

  /// A CoinGecko-compatible price API.
  public struct CoinGecko: Sendable, Equatable {
    public enum Plan: String, Sendable, Equatable, CaseIterable {
      case demo
      case pro
    }

    /// The public API's root; with the pro plan it is replaced by `proURL`.
    public static let publicURL = "https://api.coingecko.com/api/v3"
    public static let proURL = "https://pro-api.coingecko.com/api/v3"

    /// Root of the API, without a trailing slash.
    public var apiURL: String
    /// nil uses the API without a key (the public API's shared limits).
    public var apiKey: String?
    public var plan: Plan
    /// 0 is unlimited.
    public var requestsPerMinute: Double
    /// Longest request URL; longer lists of tokens are split over several requests.
    public var maxURLLength: Int
    /// Seconds one request may take.
    public var timeout: Double

    /// The header that carries the key, as the plan wants it; nil without a key.
    public var keyHeader: (name: String, value: String)? {
      guard let apiKey else { return nil }
      return (plan == .pro ? "x-cg-pro-api-key" : "x-cg-demo-api-key", apiKey)
    }
  }

  /// One Chainlink AggregatorV3 feed and the asset it prices.
  public struct PriceFeed: Sendable, Hashable {
    public var asset: AssetKey
    public var address: EVMAddress
    /// Seconds after which this feed's answer is stale; nil uses `prices.max_age`.
    public var maxAge: Double?

    public init(asset: AssetKey, address: EVMAddress, maxAge: Double?) {
      self.asset = asset
      self.address = address
      self.maxAge = maxAge
    }
  }
}
