public import ChainClients
public import CurlHTTP
public import Foundation
public import PortfolioConfig
public import PortfolioCore

/// Prices from a CoinGecko-compatible API: every native coin in one `simple/price` request
/// (chains sharing a coin id ask once), tokens in `simple/token_price` requests per platform,
/// each URL kept under `max_url_length`. Requests are paced, a 429's Retry-After is honoured,
/// and a circuit breaker sidelines an API that keeps failing. A request that fails costs only
/// its own assets: the others' prices are kept.
public final class CoinGeckoSource: ReportingPriceSource {
  /// Retry, breaker and concurrency; the defaults suit the public API.
  public struct Tuning: Sendable {
    public var retry = RetryPolicy(
      maxAttempts: 3, baseDelay: .milliseconds(500), maxDelay: .seconds(10), maxRetryAfter: .seconds(30))
    /// Failed requests in a row that sideline the API.
    public var breakerThreshold = 3
    /// How long a sidelined API is left alone before one request probes it.
    public var breakerCoolDown: Duration = .seconds(60)
    /// Requests in flight at once.
    public var concurrency = 2

    public init() {}
  }

  public let kind = PriceSourceKind.coingecko
  let api: AppConfig.CoinGecko
  let listings: [ChainName: CoinGeckoPlan.Listing]
  let http: HTTPClient
  let tuning: Tuning
  let gate: PriceAPIGate
  let now: @Sendable () -> Date

  public init(
    api: AppConfig.CoinGecko, chains: [ChainName: AppConfig.ChainSettings], http: HTTPClient,
    tuning: Tuning = Tuning(), now: @escaping @Sendable () -> Date = { Date() }
  ) {
    self.api = api
    self.http = http
    self.tuning = tuning
    self.now = now
    listings = chains.mapValues {
      CoinGeckoPlan.Listing(family: $0.chain.family, coinID: $0.coinID, platform: $0.pricePlatform)
    }
    let timeout = Duration.milliseconds(Int(api.timeout * 1000))
    gate = PriceAPIGate(
      breaker: CircuitBreaker(
        failureThreshold: tuning.breakerThreshold, coolDown: tuning.breakerCoolDown,
        probeDeadline: timeout + .seconds(5)),
      requestsPerMinute: api.requestsPerMinute, now: .now)
  }

  /// Counters since the start, and whether the API is sidelined now.
  public var stats: PriceAPIStats { gate.stats }

  public func report(for assets: [AssetKey]) async throws -> PriceSourceReport {
    let plan = CoinGeckoPlan(
      assets: assets, chains: listings, base: api.apiURL, maxURLLength: api.maxURLLength)
    guard !plan.requests.isEmpty else { return PriceSourceReport(quotes: []) }
    let outcomes = await sendAll(plan.requests)
    var report = PriceSourceReport(quotes: [])
    var failures: [PriceSourceError] = []
    for (request, outcome) in zip(plan.requests, outcomes) {
      report.httpRequests += outcome.sent
      switch outcome.result {
      case .success(let answer):
        report.quotes += plan.quotes(for: request, answer: answer.answer, fetchedAt: answer.at)
      case .failure(let error):
        failures.append(error)
        report.problems.append(
          "the request for \(request.items.count) \(request.target.name) failed: \(error.message)")
      }
    }
    if failures.count == outcomes.count, var first = failures.first {
      first.httpRequests = report.httpRequests
      throw first
    }
    return report
  }

  /// Every request, `tuning.concurrency` at a time; outcomes in request order.
  private func sendAll(_ requests: [CoinGeckoRequest]) async -> [SendOutcome] {
    var outcomes = [SendOutcome?](repeating: nil, count: requests.count)
    await withTaskGroup(of: (Int, SendOutcome).self) { group in
      var next = 0
      func launch() {
        let index = next
        next += 1
        group.addTask { (index, await self.send(requests[index])) }
      }
      while next < min(max(1, tuning.concurrency), requests.count) { launch() }
      while let (index, outcome) = await group.next() {
        outcomes[index] = outcome
        if next < requests.count { launch() }
      }
    }
    return outcomes.map {
      $0 ?? SendOutcome(result: .failure(error(.cancelled, "cancelled")), sent: 0)
    }
  }

  func error(_ kind: PriceSourceError.Kind, _ message: String) -> PriceSourceError {
    PriceSourceError(source: .coingecko, kind: kind, message: message)
  }
}

extension CoinGeckoRequest.Target {
  /// For messages: "coins" or "tokens on <platform>".
  var name: String {
    switch self {
    case .coins: "coins"
    case .tokens(let platform): "tokens on \(platform)"
    }
  }
}
