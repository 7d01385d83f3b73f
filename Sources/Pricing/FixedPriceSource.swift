public import Foundation
public import PortfolioCore

/// Prices fixed in the configuration (`prices.fixed`): for assets no market prices, or to pin
/// a stablecoin. A quote's time is when it was asked for.
public struct FixedPriceSource: PriceSource {
  public let kind = PriceSourceKind.fixed
  public let prices: [AssetKey: USDPrice]
  let now: @Sendable () -> Date

  public init(prices: [AssetKey: USDPrice], now: @escaping @Sendable () -> Date = { Date() }) {
    self.prices = prices
    self.now = now
  }

  public func quotes(for assets: [AssetKey]) async throws -> [PriceQuote] {
    let at = now()
    return assets.compactMap { asset in
      prices[asset].map { PriceQuote(asset: asset, price: $0, source: .fixed, at: at) }
    }
  }
}
