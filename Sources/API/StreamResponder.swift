import Foundation
public import LiveUpdates
public import Logging
public import Storage
public import WebServer

/// `/api/v1/stream`: each subscription starts with a snapshot (or a replay of what the client
/// missed) and continues with diffs from the hub. Bad messages get an `error` frame and the
/// connection stays open.
public struct StreamResponder: WebSocketResponder {
  private let wallets: WalletStore
  private let start: StreamStart
  private let hub: Hub
  private let logger: Logger

  /// More topics than this on one connection is refused; a dashboard needs a handful.
  static let maxTopicsPerConnection = 1000

  public init(database: AppDatabase, hub: Hub, logger: Logger) {
    self.wallets = WalletStore(database)
    self.start = StreamStart(database: database)
    self.hub = hub
    self.logger = logger
  }

  public func serve(_ connection: WebSocketConnection, events: AsyncStream<WebSocketEvent>) async {
    let sink = ConnectionSink(connection)
    var topics: Set<StreamTopic> = []
    for await event in events {
      guard case .text(let text) = event else { break }
      do {
        try handle(try StreamMessage.parse(text), sink: sink, topics: &topics)
      } catch {
        sink.send(bytes: StreamFrames.error(code: error.code, message: error.message))
      }
    }
    hub.remove(sink)
  }

  private func handle(_ message: StreamMessage, sink: ConnectionSink, topics: inout Set<StreamTopic>)
    throws(StreamMessageError)
  {
    switch message {
    case .subscribe(let topic, let since, let epoch):
      if case .wallet(let id) = topic, (try? wallets.wallet(id: id)) == nil {
        throw StreamMessageError(
          code: "unknown_wallet", message: "No wallet with id '\(id.uuidString.lowercased())'.")
      }
      guard topics.count < Self.maxTopicsPerConnection || topics.contains(topic) else {
        throw StreamMessageError(
          code: "too_many_topics", message: "At most \(Self.maxTopicsPerConnection) topics per connection.")
      }
      topics.insert(topic)
      // Hold live diffs while the first frames are read, then release the newer ones.
      hub.hold(topic, for: sink)
      do {
        let (frames, through) = try start.frames(topic: topic, since: since, epoch: epoch)
        for frame in frames { sink.send(bytes: frame) }
        hub.release(topic, for: sink, through: through)
      } catch {
        hub.unsubscribe(topic, for: sink)
        topics.remove(topic)
        logger.error("stream start failed", metadata: ["topic": "\(topic)", "error": "\(error)"])
        throw StreamMessageError(code: "unavailable", message: "The snapshot could not be read; try again.")
      }
    case .unsubscribe(let topic):
      guard topics.remove(topic) != nil else {
        throw StreamMessageError(code: "not_subscribed", message: "Not subscribed to '\(topic)'.")
      }
      hub.unsubscribe(topic, for: sink)
      sink.send(bytes: StreamFrames.acknowledgement("unsubscribed", topic: topic))
    }
  }
}

/// A WebSocket connection as a hub destination.
final class ConnectionSink: FrameSink {
  let connection: WebSocketConnection

  init(_ connection: WebSocketConnection) {
    self.connection = connection
  }

  var sinkID: UInt64 { connection.id }

  func send(bytes: [UInt8]) {
    connection.send(bytes: bytes)
  }

  func send(bytes: [UInt8], stamp: ContinuousClock.Instant) {
    connection.send(bytes: bytes, stamp: stamp)
  }

  static func broadcast(bytes: [UInt8], stamp: ContinuousClock.Instant, to sinks: [ConnectionSink]) {
    WebSocketConnection.send(bytes: bytes, stamp: stamp, to: sinks.map(\.connection))
  }
}
