import API
import BigInt
public import ChainSync
import CurlHTTP
import Foundation
public import LiveUpdates
public import Logging
public import Notifications
public import PortfolioConfig
import PortfolioCore
import Pricing
import ServiceLifecycle
public import Storage
import Synchronization
import WebServer

/// The whole server in one value: the database, the change feed and pollers, the API and the
/// web server on its port. `run` runs them as one group of services; tests run it in-process
/// on port 0, `portfolio-server serve` with signal handling.
public final class PortfolioServer: Sendable {
  public static let version = "0.1.0"

  public let config: AppConfig
  public let database: AppDatabase
  /// Held for the server's lifetime: a second server, or a restore, on the same file refuses.
  private let lock: DatabaseLock
  /// Backups into `backup.directory`, one at a time, for the admin endpoint and the schedule.
  public let backups: DatabaseBackups
  /// The port bound, which differs from the configured one when that was 0.
  public let port: Int
  let web: WebServer
  private let http: HTTPClient
  public let balances: BalanceService
  /// The change feed and the pollers.
  public let live: LiveService
  /// Ends stream connections whose token was revoked or expired.
  let streamAccess: StreamAccessSweeper
  /// Sends webhooks their users' events.
  public let webhooks: WebhookDispatcher
  let logger: Logger
  private let group = Mutex<ServiceGroup?>(nil)
  private let shutdownRequested = Mutex(false)
  private let stopped = CompletionSignal()
  private let releasing = Mutex(false)
  private let chainCheckFailed = Mutex(false)

  /// Opens the database and binds the port; nothing runs until `run`. A failing start undoes
  /// what it started.
  /// - Parameter polls: whether pollers read their chains on their own; when false they read
  ///   only wallets that are added or fetched.
  public init(config: AppConfig, logger: Logger, polls: Bool = true) throws {
    self.config = config
    self.logger = logger
    // Before anything counts: the modules' metrics go to the registry `/metrics` renders.
    let registry = MetricsRegistry.shared
    let tls = try config.server.tls.map(Self.checkedTLS)
    lock = try DatabaseLock(databasePath: config.databasePath)
    do {
      database = try AppDatabase(path: config.databasePath)
    } catch {
      lock.release()
      throw error
    }
    backups = DatabaseBackups(database: database, directory: BackupDirectory(path: config.backup.directory))
    let http = HTTPClient()
    self.http = http
    do {
      let listed = try Self.tokenList(config: config, logger: logger)
      balances = BalanceService(config: config, listedTokens: listed, database: database, http: http)
      live = LiveService(
        service: balances, database: database, logger: logger, polls: polls,
        prices: Self.priceRefresh(config: config, balances: balances, http: http, logger: logger))
      let authenticator = Authenticator(database: database, required: config.server.authRequired)
      let stream = StreamResponder(
        database: database, feed: live.feed, health: live.health, authenticator: authenticator,
        limits: StreamLimits(
          connectionsPerUser: config.server.maxStreamConnectionsPerUser,
          topicsPerConnection: config.server.maxTopicsPerConnection),
        logger: logger)
      let frameLatency = FrameLatency()
      let scrape = MetricsScrape(
        registry: registry, live: live, balances: balances, database: database,
        backups: backups.directory, version: Self.version)
      let notifications = config.notifications
      let webhooks = try WebhookDispatcher(
        database: database,
        settings: .init(
          retry: RetrySchedule(
            initial: .milliseconds(Int(notifications.retryInitial * 1000)),
            maxInterval: .milliseconds(Int(notifications.retryMaxInterval * 1000)),
            giveUpAfter: .milliseconds(Int(notifications.retryFor * 1000))),
          timeout: .milliseconds(Int(notifications.webhookTimeout * 1000)),
          allowPrivateTargets: notifications.allowPrivateTargets, vapidSubject: notifications.vapidSubject),
        feed: live.feed, logger: logger)
      self.webhooks = webhooks
      let api = APIResponder(
        database: database, balances: balances, live: live, frameLatency: frameLatency,
        authenticator: authenticator, webhooks: webhooks, backups: backups,
        settings: .init(
          chains: config.chains.values.map(\.chain), version: Self.version,
          rateLimitRequests: config.rateLimitRequests,
          rateLimitWindowSeconds: config.rateLimitWindowSeconds, subscribers: stream.subscribers,
          chainInfo: config.chains.mapValues { settings in
            ChainInfo(
              nativeSymbol: settings.nativeSymbol, nativeDecimals: settings.nativeDecimals,
              chainID: settings.chainID, pollInterval: settings.pollInterval,
              explorerURL: settings.explorerURL)
          },
          metrics: config.metrics.enabled
            ? (render: scrape.render, loopbackWithoutToken: config.metrics.loopbackWithoutToken) : nil),
        logger: logger)
      var options = WebServerOptions(
        host: config.server.host, port: config.server.port,
        staticDirectory: config.server.staticDirectory, maxBodyBytes: config.server.maxBodyBytes,
        maxWebSocketMessageBytes: config.server.maxWebSocketMessageBytes,
        broadcastRingFrames: config.server.streamRingFrames,
        broadcastRingBytes: config.server.streamRingBytes,
        keepAliveTimeoutSeconds: config.server.keepAliveSeconds)
      options.allowedOrigins = config.server.corsAllowedOrigins
      options.tls = tls
      options.dynamicPathPrefixes.append("/metrics")
      options.requestObserver = HTTPMetrics()
      streamAccess = stream.accessSweeper(logger: logger)
      web = try WebServer(
        options: options, http: api, webSocket: stream, logger: logger, frameLatency: frameLatency)
      scrape.attach(web)
    } catch {
      http.shutdown()
      try? database.close()
      lock.release()
      throw error
    }
    live.feed.attach(WebServerOutlet(web))
    live.feed.attach(webhooks)
    port = web.port
  }

  var shutdownGrace: Duration { .milliseconds(Int(config.server.shutdownGraceSeconds * 1000)) }

  /// Says where the server listens; the web service calls it once signals are handled, so a
  /// supervisor that waits for this line can stop the server gracefully right away.
  func announce() {
    logger.info(
      "listening",
      metadata: [
        "url": "\(config.server.tls == nil ? "http" : "https")://\(config.server.host):\(port)/",
        "database": "\(config.databasePath)",
        "chains": "\(config.chainNames.map(\.rawValue).joined(separator: ","))",
        "auth": "\(config.server.authRequired ? "access tokens required" : "off (loopback)")",
      ])
    if config.server.authRequired, (try? AccessTokenStore(database).anyActive()) == false {
      let user = (try? UserStore(database).firstUser()?.name) ?? "NAME"
      let create =
        (try? UserStore(database).firstUser()) == nil ? "portfolio-server user create NAME, then " : ""
      logger.notice(
        "no access token can sign in yet: make one with \(create)portfolio-server token create --user \(user) --scope admin --database \(config.databasePath)"
      )
    }
  }

  /// Runs every service until `shutdown` (or, with `handlingSignals`, SIGTERM or SIGINT), then
  /// closes the database. Stops in order: the web server (no new requests, WebSockets closed
  /// with 1001), the pollers, the feed (its last writes committed), the HTTP client.
  public func run(handlingSignals: Bool = false) async throws {
    var services: [any Service] = [CurlService(http: http)] + live.services + [webhooks, streamAccess]
    if config.backup.interval > 0 {
      services.append(
        ScheduledBackups(
          backups: backups,
          settings: .init(interval: .seconds(config.backup.interval), keep: config.backup.keep),
          logger: logger))
    }
    services.append(WebService(server: self))
    let group = ServiceGroup(
      configuration: .init(
        services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
        gracefulShutdownSignals: handlingSignals ? [.sigterm, .sigint] : [],
        logger: logger))
    let early = self.group.withLock { stored in
      stored = group
      return shutdownRequested.withLock { $0 }
    }
    guard !early else {
      await release()
      return
    }
    logger.debug("services starting", metadata: ["count": "\(services.count)"])
    do {
      try await group.run()
    } catch {
      // A group stopped before it began runs no service: the threads still need ending.
      await release()
      throw error
    }
    await release()
  }

  /// Graceful stop; returns once every service has ended and the database is closed.
  public func shutdown() async {
    let group = self.group.withLock { group in
      shutdownRequested.withLock { $0 = true }
      return group
    }
    if let group {
      await group.triggerGracefulShutdown()
      await stopped.wait()
    } else {
      // Never run: release what the start took.
      await release()
    }
  }

  /// Ends the libwebsockets and libcurl threads if their services did not (each stop is a
  /// no-op once done), then closes the database.
  private func release() async {
    // Once: a second caller waits for the first to finish.
    let first = releasing.withLock { started in
      defer { started = true }
      return !started
    }
    guard first else {
      await stopped.wait()
      return
    }
    await web.shutdown(grace: .zero)
    http.shutdown()
    await http.waitUntilStopped()
    do {
      try database.close()
    } catch {
      logger.error("closing the database failed", metadata: ["error": "\(error)"])
    }
    lock.release()
    logger.info("stopped")
    stopped.signal()
  }

  /// What the price refresher asks, in the configured order; nil when no source is configured.
  private static func priceRefresh(
    config: AppConfig, balances: BalanceService, http: HTTPClient, logger: Logger
  )
    -> (settings: PriceRefresher.Settings, fetch: PriceRefresher.Fetch)?
  {
    guard !config.prices.sources.isEmpty else { return nil }
    let sources = PriceSources.make(
      config: config, http: http, evmReaders: balances.chains.compactMapValues(\.evm), logger: logger)
    let settings = PriceRefresher.Settings(
      interval: .milliseconds(Int(config.prices.refreshInterval * 1000)),
      ttl: .seconds(config.cacheTTLSeconds),
      pushThreshold: BigUInt(max(0, config.prices.pushThresholdPartsPerMillion)))
    return (
      settings,
      { assets in
        let round = await sources.quotes(for: Set(assets))
        for (source, reason) in round.failedSources.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
          logger.warning(
            "price source failed", metadata: ["source": "\(source.rawValue)", "error": "\(reason)"])
        }
        return (Array(round.quotes.values), round.totalHTTPRequests)
      }
    )
  }

  /// The token list; a missing default file only means no listed tokens, but a file the
  /// configuration names must load.
  private static func tokenList(config: AppConfig, logger: Logger) throws -> [ListedToken] {
    let path = config.tokenListFile
    if !FileManager.default.fileExists(atPath: path) && path == "config/tokens.yaml" {
      logger.warning(
        "no token list",
        metadata: ["file": "\(path)", "effect": "only native coins and added tokens are read"])
      return []
    }
    return try TokenList.load(path: path, chains: config.chains)
  }

  /// Checks each EVM node serves the configured chain id; a mismatch is a configuration
  /// error that shuts the server down (and `failedChainCheck` turns true).
  func checkChainsOrStop() async {
    let mismatches = await balances.verifyChains(logger: logger)
    guard !mismatches.isEmpty, !Task.isCancelled else { return }
    logger.critical("stopping: \(ConfigError(key: "chains", message: mismatches.joined(separator: "; ")))")
    chainCheckFailed.withLock { $0 = true }
    await triggerShutdown()
  }

  /// Starts a graceful stop without waiting for it (from inside a service).
  private func triggerShutdown() async {
    let group = self.group.withLock { group in
      shutdownRequested.withLock { $0 = true }
      return group
    }
    await group?.triggerGracefulShutdown()
  }

  public var failedChainCheck: Bool { chainCheckFailed.withLock { $0 } }

  /// Creates or upgrades the database file, for `portfolio-server migrate`.
  public static func migrate(databasePath: String) throws {
    try AppDatabase(path: databasePath).close()
  }
}
