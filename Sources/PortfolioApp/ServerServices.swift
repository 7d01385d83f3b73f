import CurlHTTP
import Logging
import ServiceLifecycle
import WebServer

/// The libcurl thread: serves chain and price requests until everything that sends them has
/// stopped, then ends and is waited for.
struct CurlService: Service {
  let http: HTTPClient

  func run() async throws {
    try? await gracefulShutdown()
    http.shutdown()
    await http.waitUntilStopped()
  }
}

/// The libwebsockets thread: serves until a graceful shutdown, which refuses new requests,
/// closes WebSockets with 1001 and finishes responses under way.
struct WebService: Service {
  let server: PortfolioServer

  func run() async throws {
    // The group has installed its signal handlers before it runs services.
    server.announce()
    await withDiscardingTaskGroup { group in
      // Nodes are checked while serving: a slow resolver must not hold up the start, but a
      // node that serves another chain stops the server.
      group.addTask { await server.checkChainsOrStop() }
      group.addTask {
        guard (try? await gracefulShutdown()) != nil else { return }
        server.logger.info("shutting down")
        await server.web.shutdown(grace: server.shutdownGrace)
      }
      await server.web.waitUntilStopped()
      group.cancelAll()
    }
  }
}
