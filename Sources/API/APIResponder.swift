public import ChainSync
import Foundation
public import LiveUpdates
public import Logging
public import Notifications
public import PortfolioCore
public import Storage
public import WebServer

/// The REST API: the route table behind a per-client rate limit, with every failure turned
/// into a problem+json response.
public struct APIResponder: HTTPResponder {
  private let router: Router
  private let portfolio: PortfolioRoutes
  private let limiter: RateLimiter
  private let authenticator: Authenticator
  private let logger: Logger

  public struct Settings: Sendable {
    public var chains: [Chain]
    public var version: String
    public var rateLimitRequests: Int
    public var rateLimitWindowSeconds: Int
    /// Stream connections following a topic, for the health endpoint.
    public var subscribers: SubscriberCount
    /// Per chain: its native coin, id and explorer, for `/api/v1/chains`.
    public var chainInfo: [ChainName: ChainInfo]
    /// `/metrics`: what renders the figures and whether loopback clients need no token; nil
    /// serves no `/metrics`.
    public var metrics: (render: @Sendable () -> [UInt8], loopbackWithoutToken: Bool)?

    public init(
      chains: [Chain], version: String, rateLimitRequests: Int, rateLimitWindowSeconds: Int,
      subscribers: SubscriberCount, chainInfo: [ChainName: ChainInfo] = [:],
      metrics: (render: @Sendable () -> [UInt8], loopbackWithoutToken: Bool)? = nil
    ) {
      self.metrics = metrics
      self.subscribers = subscribers
      self.chainInfo = chainInfo
      self.chains = chains
      self.version = version
      self.rateLimitRequests = rateLimitRequests
      self.rateLimitWindowSeconds = rateLimitWindowSeconds
    }
  }

  public init(
    database: AppDatabase, balances: BalanceService, live: LiveService, frameLatency: FrameLatency,
    authenticator: Authenticator, webhooks: WebhookDispatcher, backups: DatabaseBackups? = nil,
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
    let users = UserRoutes(users: UserStore(database), live: live, authenticator: authenticator)
    let accessTokens = AccessTokenRoutes(
      tokens: AccessTokenStore(database), users: UserStore(database), authenticator: authenticator,
      now: { Date() })
    let webhookRoutes = WebhookRoutes(
      store: WebhookStore(database), dispatcher: webhooks, chains: Set(chains.keys), now: { Date() })
    let routes: [[Route]] = [
      wallets.routes, imports.routes, balanceRoutes.routes, portfolio.routes, tokens.routes, probes.routes,
      document.routes, StreamRoutes.routes, users.routes, accessTokens.routes, webhookRoutes.routes,
      PushRoutes(
        store: WebhookStore(database), dispatcher: webhooks, chains: Set(chains.keys), now: { Date() }
      )
      .routes,
      AlertRoutes(store: AlertStore(database), wallets: walletStore, now: { Date() }).routes,
      ChainRoutes(chains: settings.chains, info: settings.chainInfo).routes,
      BackupRoutes(
        backups: backups
          ?? DatabaseBackups(database: database, directory: .standard(forDatabase: database.pool.path))
      ).routes,
      settings.metrics.map {
        MetricsRoutes(render: $0.render, loopbackWithoutToken: $0.loopbackWithoutToken).routes
      }
        ?? [],
    ]
    router = Router(routes.flatMap { $0 })
    limiter = RateLimiter(limit: settings.rateLimitRequests, windowSeconds: settings.rateLimitWindowSeconds)
    self.authenticator = authenticator
    self.logger = logger
  }

  /// The routes served, for the test that holds the API document to them.
  public var routeTable: [RouteSignature] { router.table }

  /// Probes are never rate limited: an orchestrator must always reach them; nor is the
  /// metrics scraper.
  static let probePaths: Set<String> = [
    "/api/v1/live", "/api/v1/ready", "/api/v1/health", MetricsRoutes.path,
  ]

  /// The portfolio is what dashboards poll; between database writes its answer is in memory.
  public func respondFromMemory(to request: HTTPRequest) -> HTTPResponse? {
    guard request.method == .get || request.method == .head, request.path == "/api/v1/portfolio",
      !CSVExport.wanted(request),
      let principal = authenticator.principalFromMemory(authorization: request.headers["authorization"]),
      var response = portfolio.portfolioFromMemory(owner: principal.user)
    else { return nil }
    response.route = request.path
    return rateLimited(request, principal: principal) ?? response
  }

  public func respond(to request: HTTPRequest) async -> HTTPResponse {
    let identity = authenticator.principal(authorization: request.headers["authorization"])
    if let refusal = rateLimited(request, principal: try? identity.get()) { return refusal }
    do {
      return try await router.respond(to: request) { access in
        try Self.authorize(request, access: access, identity: identity)
      }
    } catch let error as APIError {
      return error.response
    } catch {
      let failure = error as? RouteFailure
      logger.error(
        "request failed",
        metadata: [
          "path": "\(request.path)", "request_id": "\(request.id)",
          "error": "\(String(reflecting: failure?.underlying ?? error))",
        ])
      var response = Problem(
        status: 500, title: "Internal Server Error",
        detail:
          "The server could not complete the request; the server log has the cause (request id \(request.id))."
      ).response
      response.route = failure?.route
      return response
    }
  }

  /// The principal a route may be called as: open routes take anyone, others a token whose
  /// scope covers them.
  private static func authorize(
    _ request: HTTPRequest, access: RouteAccess, identity: Result<Principal, AuthFailure>
  ) throws(APIError) -> Principal? {
    guard case .scope(let needed) = access else { return try? identity.get() }
    let principal: Principal
    switch identity {
    case .success(let found): principal = found
    case .failure(let failure): throw APIError.unauthorized(failure)
    }
    guard principal.scope >= needed else {
      let allows =
        switch principal.scope {
        case .read: "reading (GET) only"
        case .write: "reading and changing your own wallets, not managing users or tokens"
        case .admin: "everything"
        }
      throw APIError.forbidden(
        "This token's scope is \(principal.scope.rawValue), which allows \(allows); "
          + "\(request.method.rawValue) \(request.path) needs \(needed.rawValue).",
        needed: needed, held: principal.scope)
    }
    return principal
  }

  /// The 429 for a token (or, without one, a client address) over its limit; probes are
  /// never limited.
  private func rateLimited(_ request: HTTPRequest, principal: Principal?) -> HTTPResponse? {
    let client = principal?.tokenID.map { "token:\($0)" } ?? request.peer
    if !Self.probePaths.contains(request.path), let retryAfter = limiter.check(client) {
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
