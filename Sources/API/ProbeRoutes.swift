import ChainClients
import Foundation
import LiveUpdates
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/health`, `/ready` and `/live`: for people, load balancers and orchestrators.
struct ProbeRoutes {
  let database: AppDatabase
  let version: String
  let startedAt: Date
  let chains: [ChainName]
  let live: LiveService
  let subscribers: SubscriberCount
  let frameLatency: FrameLatency

  var routes: [Route] {
    [
      Route(.get, "/api/v1/live", access: .open) { _ in JSONResponse.json(["status": "alive"]) },
      Route(.get, "/api/v1/ready", access: .open) { _ in try ready() },
      // Details (wallet counts, node errors) are for users: a token where the server asks for one.
      Route(.get, "/api/v1/health") { _ in health() },
    ]
  }

  private func ready() throws -> HTTPResponse {
    do {
      try database.checkReadable()
    } catch {
      throw APIError.unavailable("The database cannot be read: \(error)")
    }
    return JSONResponse.json(["status": "ready"])
  }

  /// From the poller's read to each diff frame's write to its socket, over recent frames.
  private func streamLatency() -> JSONValue {
    guard let summary = frameLatency.summary else { return ["frames": 0] }
    func milliseconds(_ duration: Duration) -> JSONValue {
      let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
      return .double((value * 1000).rounded() / 1000)
    }
    return [
      "frames": .integer(Int64(summary.count)), "read_to_write_p50_ms": milliseconds(summary.p50),
      "read_to_write_p99_ms": milliseconds(summary.p99), "read_to_write_max_ms": milliseconds(summary.max),
    ]
  }

  /// Overall state, and per chain: its health (`ChainHealth`), the last good read, the last
  /// error, the head, the lag and each endpoint's breaker. Degraded when the database cannot be
  /// read or any chain is not ok.
  private func health() -> HTTPResponse {
    let counted = try? WalletStore(database).countByChain()
    let wallets = counted.map { $0.values.reduce(0, +) }
    let walletsByChain = counted ?? [:]
    let statuses = live.statuses
    let healths = live.health.healths
    var chainStates: [String: JSONValue] = [:]
    for name in chains {
      let status = statuses[name] ?? ChainStatus()
      let lag = status.lastSuccess.map { max(0, Date().timeIntervalSince($0)) }
      let endpoints = live.endpoints(of: name).map { endpoint -> JSONValue in
        ["url": .string(endpoint.url), "breaker": .string(endpoint.breaker.rawValue)]
      }
      let poller: [String: JSONValue] = [
        "last_success": status.lastSuccess.map { .string($0.iso8601) } ?? .null,
        "head": status.head.map(JSONValue.unsigned) ?? .null,
        "read_at": status.readAt.map(JSONValue.unsigned) ?? .null,
        "last_read_seconds": status.lastReadSeconds.map { .double(($0 * 1000).rounded() / 1000) } ?? .null,
        "lag_seconds": lag.map { .double(($0 * 10).rounded() / 10) } ?? .null,
        "wallets": .integer(Int64(walletsByChain[name] ?? 0)),
        "last_read_wallets": .integer(Int64(status.wallets)),
        "endpoints": .array(endpoints),
      ]
      let health = healths[name].map(ChainHealthFrames.fields) ?? [:]
      chainStates[name.rawValue] = .object(health.merging(poller) { $1 })
    }
    let chainsOK = chains.allSatisfy { healths[$0]?.status == .ok }
    return JSONResponse.json([
      "status": .string(wallets != nil && chainsOK ? "ok" : "degraded"), "version": .string(version),
      "started_at": .string(startedAt.iso8601),
      "uptime_seconds": .integer(Int64(Date().timeIntervalSince(startedAt))),
      "database": .string(wallets == nil ? "unreadable" : "ok"),
      "wallets": wallets.map { .integer(Int64($0)) } ?? .null,
      "chains": .object(chainStates),
      "subscribers": .integer(Int64(subscribers.value)),
      "stream": streamLatency(),
      "prices": prices(),
    ])
  }

  /// How the last price refresh went; null when no price source is configured.
  private func prices() -> JSONValue {
    guard let refresher = live.prices else { return .null }
    let status = refresher.status
    return [
      "last_refresh": status.lastRefresh.map { .string($0.iso8601) } ?? .null,
      "assets_held": .integer(Int64(status.assetsHeld)),
      "assets_priced": .integer(Int64(status.assetsPriced)),
      "requests": .integer(Int64(status.requests)),
    ]
  }
}
