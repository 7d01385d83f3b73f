/// The handle a WebSocket handler holds: sending and closing are queued for the service thread,
/// so both are safe from any task.
public final class WebSocketConnection: Sendable, Hashable {
  public let id: UInt64
  /// The request path and peer, for logs.
  public let path: String
  public let peer: String
  private let state: ServiceThreadState

  init(id: UInt64, path: String, peer: String, state: ServiceThreadState) {
    self.id = id
    self.path = path
    self.peer = peer
    self.state = state
  }

  /// Queues one text frame. A client that lets too many frames pile up is closed with 1013.
  public func send(_ text: String) {
    send(bytes: Array(text.utf8))
  }

  /// Queues one text frame of UTF-8 bytes; the same array can go to many connections.
  public func send(bytes: [UInt8]) {
    send(bytes: bytes, stamp: nil)
  }

  /// Queues a frame and records, when it is written, how long after `stamp` that was.
  public func send(bytes: [UInt8], stamp: ContinuousClock.Instant?) {
    state.submit(.sendText(connectionID: id, bytes: bytes, stamp: stamp))
  }

  /// Queues the same frame on many connections: one command for the service thread, not one
  /// per connection, so a fan-out to thousands takes the queue's lock once.
  public static func send(
    bytes: [UInt8], stamp: ContinuousClock.Instant?, to connections: [WebSocketConnection]
  ) {
    var byServer: [ObjectIdentifier: (state: ServiceThreadState, ids: [UInt64])] = [:]
    for connection in connections {
      byServer[ObjectIdentifier(connection.state), default: (connection.state, [])].ids.append(connection.id)
    }
    for (state, ids) in byServer.values {
      state.submit(.broadcastText(connectionIDs: ids, bytes: bytes, stamp: stamp))
    }
  }

  /// Sends a close frame with this code and reason once queued frames are out.
  public func close(code: UInt16, reason: String) {
    state.submit(.close(connectionID: id, code: code, reason: reason))
  }

  public static func == (lhs: WebSocketConnection, rhs: WebSocketConnection) -> Bool {
    lhs.id == rhs.id
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

/// A WebSocket connection's state on the service thread.
final class WebSocketSession {
  let connection: WebSocketConnection
  let events: AsyncStream<WebSocketEvent>.Continuation
  var outbound: [OutboundFrame] = []
  var outboundHead = 0
  var message: [UInt8] = []
  var messageTooLarge = false
  var pendingClose: (code: UInt16, reason: String)?

  init(connection: WebSocketConnection, events: AsyncStream<WebSocketEvent>.Continuation) {
    self.connection = connection
    self.events = events
  }

  var queuedFrames: Int { outbound.count - outboundHead }

  func popFrame() -> OutboundFrame? {
    guard outboundHead < outbound.count else { return nil }
    let frame = outbound[outboundHead]
    outboundHead += 1
    if outboundHead == outbound.count || outboundHead > 64 {
      outbound.removeFirst(outboundHead)
      outboundHead = 0
    }
    return frame
  }
}

/// A frame waiting for its connection to be writable.
struct OutboundFrame {
  let bytes: [UInt8]
  let stamp: ContinuousClock.Instant?
}
