import Foundation
public import Logging
public import PortfolioCore

/// The server's whole configuration, after defaults, file, environment and flags.
public struct AppConfig: Sendable, Equatable {
  public struct Server: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var staticDirectory: String
    public var maxBodyBytes: Int
    public var maxWebSocketMessageBytes: Int
    public var keepAliveSeconds: Int
    public var shutdownGraceSeconds: Double
    /// Stream frames kept for subscribers that are behind, in count and bytes.
    public var streamRingFrames: Int
    public var streamRingBytes: Int
    /// Other sites whose pages may call the API from a browser, in canonical form.
    public var corsAllowedOrigins: [WebOrigin]
    /// nil serves plain HTTP.
    public var tls: TLSFiles?
    /// Every request must bring an access token; always so on an address other than loopback.
    public var authRequired: Bool
    /// Stream connections one user may hold open at once.
    public var maxStreamConnectionsPerUser: Int
    /// Topics one stream connection may follow.
    public var maxTopicsPerConnection: Int
  }

  /// A PEM certificate chain and its private key, for HTTPS and WSS.
  public struct TLSFiles: Sendable, Equatable {
    public var certificatePath: String
    public var privateKeyPath: String
  }

  public enum LogFormat: String, Sendable, Equatable, CaseIterable {
    case text
    case json
  }

  public struct ChainSettings: Sendable, Equatable {
    public var chain: Chain
    /// Endpoints in order of preference; later ones are failovers.
    public var rpcURLs: [String]
    public var chainID: UInt64?
    public var nativeSymbol: String
    public var nativeDecimals: Int
    public var pollInterval: Double
    /// Per endpoint; 0 is unlimited.
    public var requestsPerSecond: Double
    /// nil when the chain has no Multicall3 ("none"): balances are read with JSON-RPC batches.
    public var multicallAddress: String?
    public var callsPerMulticall: Int
    /// Solana only: processed, confirmed or finalized.
    public var commitment: String?
    /// CoinGecko's id of the native coin (`ethereum`, `solana`, ...); nil prices it elsewhere.
    public var coinID: String?
    /// CoinGecko's asset platform for the chain's tokens (`polygon-pos`, ...); nil when none.
    public var pricePlatform: String?
    /// Chainlink feeds read on this chain, by asset.
    public var priceFeeds: [PriceFeed]
    /// The block explorer's address, without a trailing slash; nil when none is set.
    public var explorerURL: String?
  }

  public var server: Server
  /// Path of the SQLite file.
  public var databasePath: String
  public var logLevel: Logger.Level
  public var logFormat: LogFormat
  /// Requests per access token (or, without one, per client address) per window; 0 turns the
  /// limit off.
  public var rateLimitRequests: Int
  public var rateLimitWindowSeconds: Int
  /// Seconds a fetched price is served before it is fetched again (`cache.ttl`, CACHE_TTL);
  /// reserved: prices are refreshed every `prices.refreshInterval`.
  public var cacheTTLSeconds: Int
  /// Enabled chains by name.
  public var chains: [ChainName: ChainSettings]
  /// YAML list of tokens read for every wallet, per chain.
  public var tokenListFile: String
  public var prices: Prices
  public var coinGecko: CoinGecko
  public var notifications: Notifications
  public var backup: Backup

  /// Scheduled backups of the database.
  public struct Backup: Sendable, Equatable {
    /// The folder backups go to; `backups` beside the database file unless configured.
    public var directory: String
    /// Seconds between scheduled backups; 0 turns the schedule off.
    public var interval: Int
    /// Backups kept in the folder; older ones with the backup name pattern are deleted.
    public var keep: Int
  }

  public var metrics = Metrics()

  /// `/metrics`: whether it is served, and whether clients on loopback need no token.
  public struct Metrics: Sendable, Equatable {
    public var enabled = true
    public var loopbackWithoutToken = true
  }

  /// Webhooks (and later Web Push): where they may go, and how failures are retried.
  public struct Notifications: Sendable, Equatable {
    /// Lets targets be loopback or private addresses.
    public var allowPrivateTargets: Bool
    /// Seconds a delivery may take.
    public var webhookTimeout: Double
    /// Seconds before the first retry, the longest wait between retries, and how long an
    /// endpoint may fail before it is disabled.
    public var retryInitial: Double
    public var retryMaxInterval: Double
    public var retryFor: Double
    /// Whom push services may contact about this server's messages (VAPID `sub`).
    public var vapidSubject: String
  }

  /// Chains in a stable order, for messages and listings.
  public var chainNames: [ChainName] { chains.keys.sorted() }
}
