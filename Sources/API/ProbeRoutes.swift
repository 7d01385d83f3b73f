import Foundation
import Storage
import WebServer

/// `/api/v1/health`, `/ready` and `/live`: for people, load balancers and orchestrators.
struct ProbeRoutes {
  let database: AppDatabase
  let version: String
  let startedAt: Date
  let chains: [String]

  var routes: [Route] {
    [
      Route(.get, "/api/v1/live") { _ in try JSONResponse.make(["status": "alive"]) },
      Route(.get, "/api/v1/ready") { _ in try ready() },
      Route(.get, "/api/v1/health") { _ in try health() },
    ]
  }

  private func ready() throws -> HTTPResponse {
    do {
      try database.checkReadable()
    } catch {
      throw APIError.unavailable("The database cannot be read: \(error)")
    }
    return try JSONResponse.make(["status": "ready"])
  }

  private func health() throws -> HTTPResponse {
    struct Health: Encodable {
      let status: String
      let version: String
      let startedAt: String
      let uptimeSeconds: Int
      let database: String
      let wallets: Int?
      let chains: [String]

      enum CodingKeys: String, CodingKey {
        case status, version, database, wallets, chains
        case startedAt = "started_at"
        case uptimeSeconds = "uptime_seconds"
      }
    }
    let wallets = try? WalletStore(database).count()
    return try JSONResponse.make(
      Health(
        status: wallets == nil ? "degraded" : "ok", version: version,
        startedAt: startedAt.iso8601,
        uptimeSeconds: Int(Date().timeIntervalSince(startedAt)),
        database: wallets == nil ? "unreadable" : "ok", wallets: wallets, chains: chains))
  }
}
