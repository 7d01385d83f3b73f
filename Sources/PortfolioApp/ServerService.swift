public import Logging
import ServiceLifecycle

/// Runs a `PortfolioServer` until SIGTERM or SIGINT, then shuts it down gracefully.
public enum ServerRunner {
  public static func run(_ server: PortfolioServer, logger: Logger) async throws {
    let group = ServiceGroup(
      configuration: .init(
        services: [.init(service: WebService(server: server))],
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger))
    try await group.run()
  }
}

private struct WebService: Service {
  let server: PortfolioServer

  func run() async throws {
    // The group has installed its signal handlers before it runs services.
    server.announce()
    server.startPolling()
    // Nodes are checked while serving: a slow resolver must not hold up the start, but a node
    // that serves another chain stops the server.
    Task { await server.checkChainsOrStop() }
    await withGracefulShutdownHandler {
      await server.waitUntilStopped()
    } onGracefulShutdown: {
      Task { await server.shutdown() }
    }
    // Joins the shutdown the signal started: returns once the database is closed.
    await server.shutdown()
  }
}
