import ChainClients
import ChainSync
import Foundation
import LiveUpdates
import Metrics
import PortfolioCore
import Prometheus
import Storage
import Synchronization
import WebServer

/// Renders `/metrics`. What the modules count as it happens is already in the registry; what
/// is a state (connections, breakers, chain health, wallets, the process) is read here, at
/// each scrape, so it costs nothing between scrapes.
final class MetricsScrape: Sendable {
  private let registry: PrometheusCollectorRegistry
  /// Set once the web server exists, which is after the API that serves `/metrics`.
  private let web = Mutex<WebServer?>(nil)
  private let live: LiveService
  private let balances: BalanceService
  private let wallets: WalletStore
  private let backups: BackupDirectory
  private let version: String
  /// Totals kept elsewhere, mirrored into counters by their growth since the last scrape.
  private let mirrored = Mutex<(framesSent: Int, cpuSeconds: Double)>((0, 0))
  /// Wallet counts per chain are read at most this often: a busy scraper must not read the
  /// database every time.
  private let walletCounts = Mutex<(at: ContinuousClock.Instant, counts: [ChainName: Int])?>(nil)

  init(
    registry: PrometheusCollectorRegistry, live: LiveService, balances: BalanceService,
    database: AppDatabase, backups: BackupDirectory, version: String
  ) {
    self.backups = backups
    self.registry = registry
    self.live = live
    self.balances = balances
    self.wallets = WalletStore(database)
    self.version = version
  }

  func attach(_ server: WebServer) {
    web.withLock { $0 = server }
  }

  func render() -> [UInt8] {
    recordStates()
    return registry.emitToBuffer()
  }

  private func recordStates() {
    Gauge(label: "portfolio_build_info", dimensions: [("version", version)]).record(1)
    let stream = web.withLock { $0 }?.webSocketStatistics ?? (connections: 0, framesSent: 0)
    Gauge(label: "portfolio_websocket_connections").record(stream.connections)
    Gauge(label: "portfolio_websocket_subscriptions").record(live.feed.subscriptions)
    let process = ProcessFigures.read()
    let growth = mirrored.withLock { last in
      defer { last = (stream.framesSent, process.cpuSeconds ?? last.cpuSeconds) }
      return (
        frames: stream.framesSent - last.framesSent,
        cpu: (process.cpuSeconds ?? last.cpuSeconds) - last.cpuSeconds
      )
    }
    Counter(label: "portfolio_websocket_frames_sent_total").increment(by: Int64(max(growth.frames, 0)))
    FloatingPointCounter(label: "process_cpu_seconds_total").increment(by: max(growth.cpu, 0))
    if let value = process.residentBytes { Gauge(label: "process_resident_memory_bytes").record(value) }
    if let value = process.openFileDescriptors { Gauge(label: "process_open_fds").record(value) }
    if let value = process.maxFileDescriptors { Gauge(label: "process_max_fds").record(value) }
    if let value = process.startTimeSeconds { Gauge(label: "process_start_time_seconds").record(value) }
    // Read from the folder, so a restart or a backup made by another process counts too.
    if let newest = backups.list().first {
      Gauge(label: "portfolio_backup_last_success_timestamp_seconds").record(
        newest.createdAt.timeIntervalSince1970)
    }
    recordChains()
  }

  private func recordChains() {
    let healths = live.health.healths
    let counts = walletCountsByChain()
    for (name, runtime) in balances.chains {
      let chain = name.rawValue
      if let health = healths[name] {
        Gauge(label: "portfolio_chain_state", dimensions: [("chain", chain)]).record(
          health.status.metricValue)
      }
      Gauge(label: "portfolio_wallets", dimensions: [("chain", chain)]).record(counts[name] ?? 0)
      for stats in runtime.rpc.stats {
        Gauge(
          label: "portfolio_rpc_breaker_state",
          dimensions: [("chain", chain), ("endpoint", Self.endpointLabel(stats.url))]
        ).record(stats.breaker.metricValue)
      }
    }
  }

  private func walletCountsByChain() -> [ChainName: Int] {
    if let kept = walletCounts.withLock({ $0 }), ContinuousClock.now - kept.at < .seconds(5) {
      return kept.counts
    }
    guard let counts = try? wallets.countByChain() else { return [:] }
    walletCounts.withLock { $0 = (.now, counts) }
    return counts
  }

  /// A node as `host:port`: its path and query may hold an API key, and are left out.
  static func endpointLabel(_ url: String) -> String {
    guard let components = URLComponents(string: url), let host = components.host else { return "unknown" }
    let port = components.port ?? (components.scheme == "https" ? 443 : 80)
    return "\(host):\(port)"
  }
}

extension ChainHealthStatus {
  /// 0 ok, 1 degraded, 2 down: alert rules compare it with a number.
  fileprivate var metricValue: Int {
    switch self {
    case .ok: 0
    case .degraded: 1
    case .down: 2
    }
  }
}

extension CircuitBreaker.Position {
  /// 0 closed, 1 half-open, 2 open.
  fileprivate var metricValue: Int {
    switch self {
    case .closed: 0
    case .halfOpen: 1
    case .open: 2
    }
  }
}
