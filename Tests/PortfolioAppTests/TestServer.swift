import Foundation
import Logging
import PortfolioApp
import PortfolioConfig

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The real server, in-process on an ephemeral loopback port, over a SQLite file in a fresh
/// temporary folder.
final class TestServer: Sendable {
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  let server: PortfolioServer
  let databasePath: String
  let base: String

  private let running: Task<Void, any Error>

  /// - Parameter polls: whether the pollers read their chains on their own; off, they read only
  ///   wallets added or fetched, so a test decides when chains are read.
  init(databasePath requested: String? = nil, settings: [String: String] = [:], polls: Bool = false) throws {
    let path =
      requested
      ?? FileManager.default.temporaryDirectory
      .appendingPathComponent("app-\(UUID().uuidString)/portfolio.sqlite").path
    var overrides = [
      "server.port": "0",
      "database.url": path,
      "server.static_dir": Self.repositoryRoot.appendingPathComponent("web-static").path,
      "rate_limit.requests": "0",
      // No test reaches a public price API; price tests name their sources.
      "prices.sources": "none",
    ]
    overrides.merge(settings) { $1 }
    let config = try ConfigLoader.load(environment: [:], overrides: overrides)
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let server = try PortfolioServer(config: config, logger: logger, polls: polls)
    self.server = server
    running = Task { try await server.run() }
    databasePath = path
    base = "http://127.0.0.1:\(server.port)"
  }

  func stop() async {
    await server.shutdown()
    _ = await running.result
  }

  /// Runs `body` against a started server and always stops it.
  static func with<T>(
    databasePath: String? = nil, settings: [String: String] = [:], polls: Bool = false,
    _ body: (TestServer) async throws -> T
  ) async throws -> T {
    let server = try TestServer(databasePath: databasePath, settings: settings, polls: polls)
    do {
      let result = try await body(server)
      await server.stop()
      return result
    } catch {
      await server.stop()
      throw error
    }
  }

  struct Reply {
    let status: Int
    let headers: [String: String]
    let body: Data

    var json: [String: Any] {
      (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }
  }

  /// One real HTTP exchange through URLSession (libcurl underneath on Linux).
  func request(
    _ method: String, _ path: String, json: Any? = nil, body: Data? = nil,
    headers: [String: String] = [:]
  ) async throws -> Reply {
    var request = URLRequest(url: URL(string: base + path)!)
    request.httpMethod = method
    if let json {
      request.httpBody = try JSONSerialization.data(withJSONObject: json)
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    } else if let body {
      request.httpBody = body
    }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    var fields: [String: String] = [:]
    for (name, value) in http.allHeaderFields {
      fields[String(describing: name).lowercased()] = String(describing: value)
    }
    return Reply(status: http.statusCode, headers: fields, body: data)
  }
}
