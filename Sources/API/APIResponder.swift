public import ChainSync
import Foundation
public import LiveUpdates
public import Logging
public import PortfolioCore
public import Storage
public import WebServer

/// The REST API: the route table behind a per-client rate limit, with every failure turned
/// into a problem+json response.
public struct APIResponder: HTTPResponder {
  private let router: Router
  private let portfolio: PortfolioRoutes
  private let limiter: RateLimiter
  private let logger: Logger

  public struct Settings: Sendable {
    public var chains: [Chain]
    public var version: String
    public var rateLimitRequests: Int
    public var rateLimitWindowSeconds: Int
    /// Stream connections following a topic, for the health endpoint.
    public var subscribers: SubscriberCount

    public init(
      chains: [Chain], version: String, rateLimitRequests: Int, rateLimitWindowSeconds: Int,
      subscribers: SubscriberCount
    ) {
      self.subscribers = subscribers
      self.chains = chains
      self.version = version
      self.rateLimitRequests = rateLimitRequests
      self.rateLimitWindowSeconds = rateLimitWindowSeconds
    }
  }

  public init(
    database: AppDatabase, balances: BalanceService, live: LiveService, frameLatency: FrameLatency,
    settings: Settings, logger: Logger
  ) {
    let chains = Dictionary(uniqueKeysWithValues: settings.chains.map { ($0.name, $0) })
    let walletStore = WalletStore(database)
    let wallets = WalletRoutes(wallets: walletStore, chains: chains, live: live, now: { Date() })
    let probes = ProbeRoutes(
      database: database, version: settings.version, startedAt: Date(), chains: chains.keys.sorted(),
      live: live, subscribers: settings.subscribers, frameLatency: frameLatency)
    let balanceRoutes = BalanceRoutes(
      wallets: walletStore, prices: PriceStore(database), service: balances, live: live)
    let tokens = TokenRoutes(service: balances)
    let imports = WalletImportRoutes(chains: chains, live: live, now: { Date() })
    portfolio = PortfolioRoutes(database: database, live: live)
    let document = DocumentRoutes(version: settings.version)
    let routes: [[Route]] = [
      wallets.routes, imports.routes, balanceRoutes.routes, portfolio.routes, tokens.routes, probes.routes,
      document.routes, StreamRoutes.routes,
    ]
    router = Router(routes.flatMap { $0 })
    limiter = RateLimiter(limit: settings.rateLimitRequests, windowSeconds: settings.rateLimitWindowSeconds)
    self.logger = logger
  }

  /// The routes served, for the test that holds the API document to them.
  public var routeTable: [RouteSignature] { router.table }

  /// Probes are never rate limited: an orchestrator must always reach them.
  static let probePaths: Set<String> = ["/api/v1/live", "/api/v1/ready", "/api/v1/health"]

  /// The portfolio is what dashboards poll; between database writes its answer is in memory.
  public func respondFromMemory(to request: HTTPRequest) -> HTTPResponse? {
    guard request.method == .get || request.method == .head, request.path == "/api/v1/portfolio",
      let response = portfolio.portfolioFromMemory()
    else { return nil }
    return rateLimited(request) ?? response
  }

  public func respond(to request: HTTPRequest) async -> HTTPResponse {
    if let refusal = rateLimited(request) { return refusal }
    do {
      return try await router.respond(to: request)
    } catch let error as APIError {
      return error.response
    } catch {
      logger.error(
        "request failed", metadata: ["path": "\(request.path)", "error": "\(String(reflecting: error))"])
      return Problem(
        status: 500, title: "Internal Server Error",
        detail: "The server could not complete the request; the server log has the cause."
      ).response
    }
  }

  /// The 429 for a client over its limit; probes are never limited.
  private func rateLimited(_ request: HTTPRequest) -> HTTPResponse? {
    if !Self.probePaths.contains(request.path), let retryAfter = limiter.check(request.peer) {
      return APIError(
        Problem(
          status: 429, title: "Too Many Requests",
          detail:
            "More than \(limiter.limit) requests in \(limiter.windowSeconds) s; retry in \(retryAfter) s.",
          extensions: ["retry_after_seconds": .int(retryAfter)]),
        headers: [("retry-after", String(retryAfter))]
      ).response
    }
    return nil
  }
}
