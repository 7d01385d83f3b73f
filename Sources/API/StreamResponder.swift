import Foundation
public import LiveUpdates
public import Logging
import PortfolioCore
public import Storage
import Synchronization
public import WebServer

/// `/api/v1/stream`: each subscription starts with a snapshot (or a replay of what the client
/// missed) and continues with the change feed's frames, which the web server sends from its
/// ring. Bad messages get an `error` frame and the connection stays open.
public struct StreamResponder: WebSocketResponder {
  private let core: StreamCore

  /// Connections with at least one topic, for the health endpoint.
  public var subscribers: SubscriberCount { core.subscribers }

  /// The service that ends connections whose token was revoked or expired, checking every
  /// `interval`.
  public func accessSweeper(every interval: Duration = .seconds(5), logger: Logger) -> StreamAccessSweeper {
    StreamAccessSweeper(core: core, interval: interval, logger: logger)
  }

  public init(
    database: AppDatabase, feed: ChangeFeed, health: ChainHealthBoard, authenticator: Authenticator,
    limits: StreamLimits = StreamLimits(),
    logger: Logger
  ) {
    core = StreamCore(
      database: database, feed: feed, health: health, authenticator: authenticator, limits: limits,
      logger: logger)
  }

  public func open(_ connection: WebSocketConnection) -> any WebSocketHandler {
    StreamSession(connection: connection, core: core)
  }
}

/// One stream connection: its state, and its events handled synchronously. The web server
/// delivers them one at a time, so the lock is contended only by the authentication deadline.
final class StreamSession: WebSocketHandler {
  private let connection: WebSocketConnection
  private let core: StreamCore
  private let state = Mutex(StreamSessionState())
  /// Closes a connection that has not authenticated in time; cancelled once it has.
  private let deadline = Mutex<Task<Void, Never>?>(nil)

  init(connection: WebSocketConnection, core: StreamCore) {
    self.connection = connection
    self.core = core
    let mustAuthenticate = state.withLock { core.open(connection, state: &$0) }
    if mustAuthenticate {
      let timeout = core.limits.authTimeout
      deadline.withLock {
        $0 = Task { [weak self] in
          try? await Task.sleep(for: timeout)
          guard !Task.isCancelled, let self else { return }
          self.state.withLock { self.core.authDeadlinePassed(self.connection, state: &$0) }
        }
      }
    }
  }

  func handle(_ event: WebSocketEvent) async {
    let (gone, authenticated) = state.withLock { state in
      let gone = !core.receive(event, on: connection, state: &state)
      if gone { core.end(&state, connection: connection) }
      return (gone, state.principal != nil)
    }
    if gone || authenticated { deadline.withLock { $0?.cancel() } }
  }
}

/// How many stream connections follow at least one topic.
public final class SubscriberCount: Sendable {
  private let count = Atomic<Int>(0)

  public init() {}

  func add(_ delta: Int) { count.add(delta, ordering: .relaxed) }

  public var value: Int { count.load(ordering: .relaxed) }
}

/// Hands the change feed's frames to the web server's ring.
public struct WebServerOutlet: FeedOutlet {
  private let server: WebServer

  public init(_ server: WebServer) {
    self.server = server
  }

  public func publish(_ frames: [FeedFrame]) {
    server.publish(
      frames.map {
        BroadcastFrame(
          topic: $0.topic.ringKey, seq: $0.seq, bytes: $0.bytes, stamp: $0.readAt, endsTopic: $0.endsTopic
        )
      })
  }
}
