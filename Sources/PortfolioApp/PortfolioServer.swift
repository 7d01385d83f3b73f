import API
public import ChainSync
import CurlHTTP
import Foundation
public import LiveUpdates
public import Logging
public import PortfolioConfig
public import Storage
import Synchronization
import WebServer

/// The whole server in one value: the database, the API and the web server on its port.
/// Tests start it on port 0 in-process; `portfolio-server serve` runs it under a service group.
public final class PortfolioServer: Sendable {
  public static let version = "0.1.0"

  public let config: AppConfig
  public let database: AppDatabase
  /// The port bound, which differs from the configured one when that was 0.
  public let port: Int
  private let web: WebServer
  private let http: HTTPClient
  public let balances: BalanceService
  /// The pollers and the hub; `startPolling` sets them going.
  public let live: LiveService
  private let logger: Logger
  /// Every caller of `shutdown` waits for the same single shutdown.
  private let shutdownTask = Mutex<Task<Void, Never>?>(nil)
  private let chainCheckFailed = Mutex(false)

  public init(config: AppConfig, logger: Logger) throws {
    self.config = config
    self.logger = logger
    database = try AppDatabase(path: config.databasePath)
    http = HTTPClient()
    let listed = try Self.tokenList(config: config, logger: logger)
    balances = BalanceService(config: config, listedTokens: listed, database: database, http: http)
    live = LiveService(service: balances, database: database, logger: logger)
    let frameLatency = FrameLatency()
    let api = APIResponder(
      database: database, balances: balances, live: live, frameLatency: frameLatency,
      settings: .init(
        chains: config.chains.values.map(\.chain), version: Self.version,
        rateLimitRequests: config.rateLimitRequests,
        rateLimitWindowSeconds: config.rateLimitWindowSeconds),
      logger: logger)
    let options = WebServerOptions(
      host: config.server.host, port: config.server.port,
      staticDirectory: config.server.staticDirectory, maxBodyBytes: config.server.maxBodyBytes,
      maxWebSocketMessageBytes: config.server.maxWebSocketMessageBytes,
      keepAliveTimeoutSeconds: config.server.keepAliveSeconds)
    web = try WebServer(
      options: options, http: api,
      webSocket: StreamResponder(database: database, hub: live.hub, logger: logger),
      logger: logger, frameLatency: frameLatency)
    port = web.port
  }

  /// Says where the server listens; the runner calls it once signals are handled, so a
  /// supervisor that waits for this line can stop the server gracefully right away.
  public func announce() {
    logger.info(
      "listening",
      metadata: [
        "url": "http://\(config.server.host):\(port)/", "database": "\(config.databasePath)",
        "chains": "\(config.chainNames.joined(separator: ","))",
      ])
  }

  /// Graceful stop: refuses new work, closes WebSockets with 1001, finishes in-flight
  /// responses, then closes the database.
  public func shutdown() async {
    let task = shutdownTask.withLock { task in
      if let task { return task }
      let started = Task { await self.performShutdown() }
      task = started
      return started
    }
    await task.value
  }

  /// Starts one poller per chain.
  public func startPolling() {
    live.start()
  }

  private func performShutdown() async {
    logger.info("shutting down")
    live.stop()
    await web.shutdown(grace: .milliseconds(Int(config.server.shutdownGraceSeconds * 1000)))
    http.shutdown()
    do {
      try database.close()
    } catch {
      logger.error("closing the database failed", metadata: ["error": "\(error)"])
    }
    logger.info("stopped")
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
  public func checkChainsOrStop() async {
    let mismatches = await balances.verifyChains(logger: logger)
    guard !mismatches.isEmpty else { return }
    logger.critical("stopping: \(ConfigError(key: "chains", message: mismatches.joined(separator: "; ")))")
    chainCheckFailed.withLock { $0 = true }
    await shutdown()
  }

  public var failedChainCheck: Bool { chainCheckFailed.withLock { $0 } }

  /// Creates or upgrades the database file, for `portfolio-server migrate`.
  public static func migrate(databasePath: String) throws {
    try AppDatabase(path: databasePath).close()
  }

  public func waitUntilStopped() async {
    await web.waitUntilStopped()
  }
}
