public import Foundation

/// Where a price came from, tried in this order for each asset.
public enum PriceSourceKind: String, Sendable, Hashable, CaseIterable, Codable {
  /// A CoinGecko-compatible HTTP API.
  case coingecko
  /// A Chainlink AggregatorV3 feed read on chain.
  case chainlink
  /// A price fixed in the configuration.
  case fixed
}

/// One asset's price as a source gave it.
public struct PriceQuote: Sendable, Hashable {
  public var asset: AssetKey
  public var price: USDPrice
  public var source: PriceSourceKind
  /// When the price was true: the source's own time when it gives one (CoinGecko's
  /// `last_updated_at`, a feed's `updatedAt`), else when it was fetched.
  public var at: Date

  public init(asset: AssetKey, price: USDPrice, source: PriceSourceKind, at: Date) {
    self.asset = asset
    self.price = price
    self.source = source
    self.at = at
  }
}
