public import Foundation
public import Logging
public import PortfolioCore

/// The configured sources in order. Each asset is priced by the first source that knows it:
/// the first source is asked for every asset, the next for those still missing, and so on. A
/// source that fails as a whole is skipped for the round (its own breaker keeps it aside
/// while it keeps failing) and the next one is asked instead.
public final class PriceSources: Sendable {
  public let sources: [any PriceSource]
  let logger: Logger
  let now: @Sendable () -> Date

  public init(
    sources: [any PriceSource], logger: Logger = Logger(label: "prices"),
    now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.sources = sources
    self.logger = logger
    self.now = now
  }

  /// The kinds in the order they are asked.
  public var order: [PriceSourceKind] { sources.map(\.kind) }

  /// Prices for `assets`, each from the first source in order that has one. Never throws:
  /// what could not be priced is listed in `unpriced`, and failing sources in `failedSources`.
  public func quotes(for assets: Set<AssetKey>) async -> PriceRound {
    let started = ContinuousClock.now
    var round = PriceRound(startedAt: now())
    var missing = assets
    for source in sources {
      guard !missing.isEmpty, !Task.isCancelled else { break }
      let asked = missing.sorted()
      let report: PriceSourceReport
      do {
        if let reporting = source as? any ReportingPriceSource {
          report = try await reporting.report(for: asked)
        } else {
          report = PriceSourceReport(quotes: try await source.quotes(for: asked))
        }
      } catch {
        let failure = error as? PriceSourceError
        round.failedSources[source.kind] = failure?.message ?? "\(error)"
        round.httpRequests[source.kind, default: 0] += failure?.httpRequests ?? 0
        PriceMetrics.refreshed(source.kind, outcome: "failed")
        logger.warning(
          "price source failed; asking the next one",
          metadata: ["source": "\(source.kind.rawValue)", "error": "\(failure?.message ?? "\(error)")"])
        continue
      }
      round.httpRequests[source.kind, default: 0] += report.httpRequests
      PriceMetrics.refreshed(source.kind, outcome: report.problems.isEmpty ? "ok" : "partial")
      if !report.problems.isEmpty {
        round.problems[source.kind, default: []] += report.problems
        logger.notice(
          "price source answered in part",
          metadata: [
            "source": "\(source.kind.rawValue)", "problems": "\(report.problems.joined(separator: "; "))",
          ])
      }
      // Only assets that were asked, once each, and only from the source that was asked.
      for quote in report.quotes where missing.contains(quote.asset) {
        round.quotes[quote.asset] = quote
        missing.remove(quote.asset)
      }
    }
    round.unpriced = missing
    round.duration = ContinuousClock.now - started
    return round
  }
}
