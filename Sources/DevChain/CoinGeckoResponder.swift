import PortfolioCore
import WebServer

/// Devchain's CoinGecko API over HTTP (`GET /coingecko/api/v3/...`): injected faults first, as
/// for the chains, then the API key check when one is configured, then the answer.
struct CoinGeckoResponder {
  let chain: DevChain

  func respond(to request: HTTPRequest) async -> HTTPResponse {
    let fault = chain.takeFault(chain: DevChain.coinGecko)
    switch fault?.kind {
    case .latency?:
      try? await Task.sleep(for: .milliseconds(fault?.milliseconds ?? 0))
    case .tooManyRequests?:
      return HTTPResponse(
        status: 429, contentType: "application/json", headers: [("retry-after", "1")],
        body: CoinGeckoAPI.status(
          code: 429, "You've exceeded the Rate Limit. Please visit https://www.coingecko.com/en/api/pricing"))
    case .serverError?:
      return json(500, CoinGeckoAPI.status(code: 500, "Internal Server Error"))
    case .malformed?:
      return json(200, Array(#"{"ethereum":{"usd":"#.utf8))
    case .drop?:
      return .aborted
    case .none?, nil:
      break
    }
    let (prices, keyCheck) = chain.coinGeckoSnapshot()
    let answer: CoinGeckoAPI.Answer
    if let refusal = Self.refusal(request, keyCheck) {
      answer = CoinGeckoAPI.Answer(status: 401, body: refusal, stats: CoinGeckoStats(httpRequests: 1))
    } else if request.method != .get {
      answer = CoinGeckoAPI.error(405, "devchain's CoinGecko API answers GET")
    } else {
      answer = CoinGeckoAPI.answer(
        route: String(request.path.dropFirst(CoinGeckoAPI.root.count)), query: request.query, prices: prices)
    }
    chain.countCoinGecko(answer.stats)
    return json(answer.status, answer.body)
  }

  /// CoinGecko's 401 body when the key check is on and the request lacks the right key (in
  /// the plan's header or, as CoinGecko also accepts, its query argument); nil to let it in.
  static func refusal(_ request: HTTPRequest, _ check: CoinGeckoKeyCheck?) -> [UInt8]? {
    guard let check else { return nil }
    let given = request.headers[check.plan.header] ?? request.queryValue(check.plan.queryArgument)
    if given == check.key { return nil }
    let otherPlanKey = CoinGeckoKeyCheck.Plan.allCases.contains { plan in
      plan != check.plan && (request.headers[plan.header] ?? request.queryValue(plan.queryArgument)) != nil
    }
    if given == nil && !otherPlanKey {
      return CoinGeckoAPI.status(code: 10002, "API Key Missing: send it in the \(check.plan.header) header")
    }
    return CoinGeckoAPI.status(
      code: 10010, "Invalid API Key: the \(check.plan.rawValue) plan's key goes in \(check.plan.header)")
  }

  private func json(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
    HTTPResponse(status: status, contentType: "application/json", body: body)
  }
}

extension DevChain {
  /// The prices and key check to answer one CoinGecko request from.
  func coinGeckoSnapshot() -> (PriceBook, CoinGeckoKeyCheck?) {
    state.withLock { ($0.prices, $0.coinGeckoKeyCheck) }
  }

  func countCoinGecko(_ stats: CoinGeckoStats) {
    state.withLock { $0.coinGeckoStats.add(stats) }
  }
}
