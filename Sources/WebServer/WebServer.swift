import CWebSockets
import Foundation
public import Logging
import PortfolioCore
import Synchronization

/// REST, WebSocket and static files on one port, served by libwebsockets on a thread of its
/// own. That thread only does I/O: handlers run in Swift concurrency and hand results back
/// through a locked inbox and `lws_cancel_service`.
public final class WebServer: Sendable {
  /// The port bound, useful when the options asked for port 0.
  public let port: Int
  private let state: ServiceThreadState
  private let context: ContextOwner
  private let exited = CompletionSignal()

  public init(
    options: WebServerOptions, http: any HTTPResponder, webSocket: any WebSocketResponder,
    logger: Logger, frameLatency: FrameLatency = FrameLatency()
  ) throws {
    LibWebSocketsLog.install()
    try ListenProbe.check(host: options.host, port: options.port)
    let state = ServiceThreadState(
      options: options, httpResponder: http, webSocketResponder: webSocket, logger: logger,
      frameLatency: frameLatency)
    let context = try LibWebSocketsContext(
      options: options,
      user: Unmanaged.passUnretained(state).toOpaque())
    state.context.withLock { $0 = ContextHandle(pointer: context.pointer) }
    self.state = state
    self.context = ContextOwner(context)
    self.port = context.listenPort
    let thread = Thread { [state, context = self.context, exited] in
      Self.serve(state: state, context: context)
      exited.signal()
    }
    thread.name = "libwebsockets"
    thread.start()
  }

  /// The service loop; destroys the context on this same thread when asked to stop.
  private static func serve(state: ServiceThreadState, context: ContextOwner) {
    while !state.stopRequested {
      if lws_service(context.pointer, 0) < 0 { break }
    }
    state.context.withLock { $0 = nil }
    context.destroy()
  }

  /// Returns once the service thread has ended and the handlers it started have returned
  /// (they are cancelled when it ends).
  public func waitUntilStopped() async {
    await exited.wait()
    await state.handlers.stop()
  }

  /// Graceful stop: new requests get 503, WebSockets close with 1001, in-flight responses
  /// are written (for at most `grace`), then the listener and every connection close.
  public func shutdown(grace: Duration = .seconds(10)) async {
    state.submit(.beginShutdown)
    let deadline = ContinuousClock.now + grace
    while ContinuousClock.now < deadline {
      let busy = state.counters.withLock { $0.requestsInFlight > 0 || $0.webSocketConnections > 0 }
      if !busy { break }
      try? await Task.sleep(for: .milliseconds(10))
    }
    state.submit(.stop)
    await waitUntilStopped()
  }

  /// Appends frames to the broadcast ring, in this order, for every session that follows
  /// their topics. Callers publish in the order of their log.
  public func publish(_ frames: [BroadcastFrame]) {
    guard !frames.isEmpty else { return }
    state.submit(.publish(frames))
  }

  /// Time from a frame's stamp to its write, for stamped frames.
  public var frameLatency: FrameLatency { state.frameLatency }

  /// WebSocket connections open now, and text frames written to them since the start.
  public var webSocketStatistics: (connections: Int, framesSent: Int) {
    (state.counters.withLock { $0.webSocketConnections }, state.framesSent.load(ordering: .relaxed))
  }

}

/// Holds the context until the service thread destroys it.
/// `@unchecked Sendable`: created before the thread starts; afterwards only the service thread
/// touches it (`serve`), and `destroy` runs there once the loop has ended.
private final class ContextOwner: @unchecked Sendable {
  private var context: LibWebSocketsContext?
  let pointer: OpaquePointer

  init(_ context: LibWebSocketsContext) {
    self.context = context
    self.pointer = context.pointer
  }

  func destroy() { context = nil }
}
