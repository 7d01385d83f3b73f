import Foundation
import Logging
import PortfolioApp
import PortfolioConfig
import Testing

/// Every way a server can stop ends its threads and frees its port: stopped while running,
/// stopped the moment it starts, and stopped without ever running.
@Suite struct ServerLifetimeTests {
  static func server() throws -> PortfolioServer {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("lifetime-\(UUID().uuidString)/p.sqlite").path
    let config = try ConfigLoader.load(
      environment: [:],
      overrides: [
        "server.port": "0", "database.url": path, "rate_limit.requests": "0",
        "server.static_dir": TestServer.repositoryRoot.appendingPathComponent("web-static").path,
      ])
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return try PortfolioServer(config: config, logger: logger, polls: false)
  }

  /// Whether something still accepts connections on the port.
  static func listening(_ port: Int) -> Bool {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }

  @Test func aRunningServerStopsAndFreesItsPort() async throws {
    let server = try Self.server()
    let running = Task { try await server.run() }
    try await Task.sleep(for: .milliseconds(200))
    #expect(Self.listening(server.port))
    await server.shutdown()
    #expect(try await running.value == ())
    #expect(!Self.listening(server.port))
  }

  @Test func aServerStoppedAsItStartsStillEndsEverything() async throws {
    for _ in 0..<5 {
      let server = try Self.server()
      let running = Task { try? await server.run() }
      await server.shutdown()
      _ = await running.value
      #expect(!Self.listening(server.port))
    }
  }

  @Test func aServerNeverRunReleasesItsPortOnShutdown() async throws {
    let server = try Self.server()
    #expect(Self.listening(server.port))
    await server.shutdown()
    #expect(!Self.listening(server.port))
  }
}
