import Foundation
import Logging
import PortfolioCore

/// Builds `AppConfig` from the layers, later ones winning: built-in defaults (documented in
/// `config/default.yaml`), a YAML file, environment variables, then flags.
public enum ConfigLoader {
  public static func load(
    file: String? = nil, environment: [String: String],
    overrides: [String: String] = [:]
  ) throws(ConfigError) -> AppConfig {
    try resolve(try values(file: file, environment: environment, overrides: overrides))
  }

  /// The merged key → text map before typing, for `portfolio-server config`.
  public static func values(
    file: String? = nil, environment: [String: String], overrides: [String: String] = [:]
  ) throws(ConfigError) -> [String: String] {
    var values = ConfigDefaults.values
    if let file { values.merge(try ConfigSources.file(at: file)) { $1 } }
    values.merge(ConfigSources.environment(environment, knownKeys: Array(values.keys))) { $1 }
    values.merge(overrides) { $1 }
    return values
  }

  /// Keys whose values are secrets, never to be printed or logged.
  public static let secretKeys: Set<String> = ["coingecko.api_key"]

  /// `values` fit to print: each secret that is set shows as `***`.
  public static func redacted(_ values: [String: String]) -> [String: String] {
    var shown = values
    for key in secretKeys where values[key]?.isEmpty == false { shown[key] = "***" }
    return shown
  }

  /// Every key the defaults define, for documentation and `--set` checks.
  public static var knownKeys: [String] { ConfigDefaults.values.keys.sorted() }

  static func resolve(_ values: [String: String]) throws(ConfigError) -> AppConfig {
    let reader = ConfigReader(values: values)
    try reader.rejectUnknownKeys()
    let host = try reader.text("server.host")
    let server = AppConfig.Server(
      host: host,
      port: try reader.integer("server.port", in: 0...65535),
      staticDirectory: try reader.text("server.static_dir"),
      maxBodyBytes: try reader.integer("server.max_body_bytes", in: 1...(1 << 30)),
      maxWebSocketMessageBytes: try reader.integer("server.max_ws_message_bytes", in: 128...(1 << 24)),
      keepAliveSeconds: try reader.integer("server.keep_alive_seconds", in: 1...3600),
      shutdownGraceSeconds: try reader.number("server.shutdown_grace_seconds", in: 0...600),
      streamRingFrames: try reader.integer("server.stream_ring_frames", in: 2...1_000_000),
      streamRingBytes: try reader.integer("server.stream_ring_bytes", in: 65536...(1 << 32)),
      corsAllowedOrigins: try reader.origins("server.cors_allowed_origins"),
      tls: try reader.tlsFiles(),
      authRequired: try reader.authRequired(host: host),
      maxStreamConnectionsPerUser: try reader.integer(
        "server.max_stream_connections_per_user", in: 1...100_000),
      maxTopicsPerConnection: try reader.integer("server.max_topics_per_connection", in: 1...100_000))
    let chains = try reader.chains()
    let databasePath = try reader.databasePath("database.url")
    return AppConfig(
      server: server,
      databasePath: databasePath,
      logLevel: try reader.choice("log.level", Logger.Level.allCases.map(\.rawValue))
        .flatMap(Logger.Level.init(rawValue:)) ?? .info,
      logFormat: AppConfig.LogFormat(
        rawValue: try reader.choice("log.format", AppConfig.LogFormat.allCases.map(\.rawValue))
          ?? "text") ?? .text,
      rateLimitRequests: try reader.integer("rate_limit.requests", in: 0...1_000_000_000),
      rateLimitWindowSeconds: try reader.integer("rate_limit.window_seconds", in: 1...86400),
      cacheTTLSeconds: try reader.integer("cache.ttl", in: 0...86400 * 30),
      chains: chains,
      tokenListFile: try reader.text("tokens.list_file"),
      prices: try reader.prices(chains: chains),
      coinGecko: try reader.coinGecko(),
      notifications: AppConfig.Notifications(
        allowPrivateTargets: try reader.boolean("notifications.allow_private_targets"),
        webhookTimeout: try reader.number("notifications.webhook_timeout", in: 0.1...300),
        retryInitial: try reader.number("notifications.retry_initial", in: 0.01...86400),
        retryMaxInterval: try reader.number("notifications.retry_max_interval", in: 0.01...86400),
        retryFor: try reader.number("notifications.retry_for", in: 1...(86400 * 30)),
        vapidSubject: try reader.vapidSubject("notifications.vapid_subject")),
      backup: try reader.backup(databasePath: databasePath),
      metrics: AppConfig.Metrics(
        enabled: try reader.boolean("metrics.enabled"),
        loopbackWithoutToken: try reader.boolean("metrics.loopback_without_token")))
  }
}
