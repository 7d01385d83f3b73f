public import PortfolioCore

/// One place prices come from: an HTTP API, feeds on chain, or the configuration.
public protocol PriceSource: Sendable {
  var kind: PriceSourceKind { get }

  /// Prices for as many of `assets` as this source knows; an asset it has no price for is
  /// left out. Throws only when the source as a whole failed (unreachable, refusing, broken),
  /// so the caller can sideline it and ask the next source.
  func quotes(for assets: [AssetKey]) async throws -> [PriceQuote]
}
