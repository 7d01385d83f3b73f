public import PortfolioCore

/// What one source did in one round, beyond its quotes: the HTTP requests it sent and what it
/// could not use (a chunk that failed, a stale feed), for status and the round's counters.
public struct PriceSourceReport: Sendable {
  public var quotes: [PriceQuote]
  public var httpRequests: Int
  /// Parts that failed while the source as a whole answered.
  public var problems: [String]

  public init(quotes: [PriceQuote], httpRequests: Int = 0, problems: [String] = []) {
    self.quotes = quotes
    self.httpRequests = httpRequests
    self.problems = problems
  }
}

/// A price source that also says what a round cost and what it could not use.
public protocol ReportingPriceSource: PriceSource {
  func report(for assets: [AssetKey]) async throws -> PriceSourceReport
}

extension ReportingPriceSource {
  public func quotes(for assets: [AssetKey]) async throws -> [PriceQuote] {
    try await report(for: assets).quotes
  }
}
