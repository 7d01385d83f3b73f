public import Foundation
public import PortfolioCore

/// What one refresh of prices found: a quote per priced asset (each names its source), the
/// assets nothing priced, and what each source cost and where it fell short.
public struct PriceRound: Sendable {
  /// The quote each priced asset got, from the first source in order that had one.
  public var quotes: [AssetKey: PriceQuote] = [:]
  /// Assets asked for that no source priced (shown as unpriced, never as 0).
  public var unpriced: Set<AssetKey> = []
  /// Sources that failed as a whole this round and were skipped, with why.
  public var failedSources: [PriceSourceKind: String] = [:]
  /// What answering sources could not use: a failed request, a stale feed, ...
  public var problems: [PriceSourceKind: [String]] = [:]
  /// HTTP requests each source sent this round (retries included for HTTP APIs; a chain read
  /// counts its JSON-RPC requests).
  public var httpRequests: [PriceSourceKind: Int] = [:]
  public var startedAt: Date
  public var duration: Duration = .zero

  public init(startedAt: Date) {
    self.startedAt = startedAt
  }

  /// Every HTTP request the round sent.
  public var totalHTTPRequests: Int { httpRequests.values.reduce(0, +) }

  /// How many assets each source priced.
  public var pricedBySource: [PriceSourceKind: Int] {
    quotes.values.reduce(into: [:]) { $0[$1.source, default: 0] += 1 }
  }
}
