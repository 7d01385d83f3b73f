import Foundation
import Logging
import Synchronization
import WebServer

/// A local endpoint for webhooks and push messages: answers every POST at once (204, or 201
/// as a push service does) and notes when each arrived, by path.
final class DeliveryReceiver: HTTPResponder, Sendable {
  private let arrivals = Mutex<[String: [ContinuousClock.Instant]]>([:])
  private let bodies = Mutex<[String: [UInt8]]>([:])

  static func start() throws -> (DeliveryReceiver, WebServer) {
    let receiver = DeliveryReceiver()
    var logger = Logger(label: "receiver")
    logger.logLevel = .error
    let server = try WebServer(
      options: WebServerOptions(port: 0, staticDirectory: nil, maxBodyBytes: 1 << 20), http: receiver,
      webSocket: NoWebSockets(), logger: logger)
    return (receiver, server)
  }

  func respond(to request: HTTPRequest) async -> HTTPResponse {
    let now = ContinuousClock.now
    arrivals.withLock { $0[request.path, default: []].append(now) }
    bodies.withLock { $0[request.path] = request.body }
    return HTTPResponse(status: request.path.hasPrefix("/push") ? 201 : 204)
  }

  func count(_ path: String) -> Int { arrivals.withLock { $0[path]?.count ?? 0 } }
  func times(_ path: String) -> [ContinuousClock.Instant] { arrivals.withLock { $0[path] ?? [] } }
  func lastBody(_ path: String) -> [UInt8]? { bodies.withLock { $0[path] } }
}

struct NoWebSockets: WebSocketResponder {
  func open(_ connection: WebSocketConnection) -> any WebSocketHandler { Ignore() }
  struct Ignore: WebSocketHandler {
    func handle(_ event: WebSocketEvent) async {}
  }
}
