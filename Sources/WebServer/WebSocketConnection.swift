/// The handle a WebSocket handler holds: sending, following topics and closing are queued for
/// the service thread, so all are safe from any task.
public final class WebSocketConnection: Sendable, Hashable {
  public let id: UInt64
  /// The request path and peer, for logs.
  public let path: String
  public let peer: String
  /// The upgrade request's `Authorization` header, if it had one.
  public let authorization: String?
  private let state: ServiceThreadState

  init(id: UInt64, path: String, peer: String, authorization: String?, state: ServiceThreadState) {
    self.id = id
    self.path = path
    self.peer = peer
    self.authorization = authorization
    self.state = state
  }

  /// Queues one text frame. A client that lets too much pile up is closed with 1013.
  public func send(_ text: String) {
    send(bytes: Array(text.utf8))
  }

  /// Queues one text frame of UTF-8 bytes.
  public func send(bytes: [UInt8]) {
    state.submit(.sendText(connectionID: id, bytes: bytes))
  }

  /// Sends `first` (a snapshot or a replay current through `seq`), then every broadcast frame of
  /// `topic` above `seq`, from the ring. When the ring no longer holds all of those, the
  /// handler gets `.behind` instead and starts the topic again from the log.
  public func follow(_ topic: String, after seq: Int64, first: [[UInt8]]) {
    state.submit(.follow(connectionID: id, topic: topic, after: seq, first: first))
  }

  public func unfollow(_ topic: String) {
    state.submit(.unfollow(connectionID: id, topic: topic))
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
  let mailbox: WebSocketMailbox
  /// Frames for this connection alone (snapshots, replays, answers), sent before ring frames.
  var control = OutboundQueue()
  /// Followed topics, each with the highest `seq` sent on it.
  var followed: [String: Int64] = [:]
  /// The next ring position to look at.
  var cursor: UInt64 = 0
  /// A frame larger than one write, part sent: its text starts at `start` of `bytes`.
  var partial: (bytes: [UInt8], offset: Int, start: Int)?
  var message: [UInt8] = []
  var messageTooLarge = false
  var pendingClose: (code: UInt16, reason: String)?

  init(connection: WebSocketConnection, mailbox: WebSocketMailbox) {
    self.connection = connection
    self.mailbox = mailbox
  }
}

/// Frames waiting for one connection to be writable, counted in frames and bytes.
struct OutboundQueue {
  private var frames: [OutboundFrame] = []
  private var head = 0
  private(set) var bytes = 0

  var count: Int { frames.count - head }
  var isEmpty: Bool { count == 0 }

  mutating func append(_ frame: OutboundFrame) {
    frames.append(frame)
    bytes += frame.bytes.count
  }

  mutating func pop() -> OutboundFrame? {
    guard head < frames.count else { return nil }
    let frame = frames[head]
    head += 1
    bytes -= frame.bytes.count
    if head == frames.count || head > 64 {
      frames.removeFirst(head)
      head = 0
    }
    return frame
  }

  mutating func removeAll() {
    frames = []
    head = 0
    bytes = 0
  }
}

/// A frame waiting for its connection to be writable: its text, or (`framed`) a whole wire
/// frame from the broadcast ring.
struct OutboundFrame {
  let bytes: [UInt8]
  let stamp: ContinuousClock.Instant?
  var framed = false
}
