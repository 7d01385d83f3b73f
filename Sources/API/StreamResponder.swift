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
  private let wallets: WalletStore
  private let start: StreamStart
  private let feed: ChangeFeed
  private let logger: Logger
  /// Connections with at least one topic, for the health endpoint.
  public let subscribers = SubscriberCount()

  /// More topics than this on one connection is refused; a dashboard needs a handful.
  static let maxTopicsPerConnection = 1000

  public init(database: AppDatabase, feed: ChangeFeed, logger: Logger) {
    self.wallets = WalletStore(database)
    self.start = StreamStart(database: database)
    self.feed = feed
    self.logger = logger
  }

  public func serve(_ connection: WebSocketConnection, events: AsyncStream<WebSocketEvent>) async {
    // The work is synchronous and kept out of this async frame: every connection's task holds
    // this frame while it waits, and a small one fits the task's first allocation.
    var topics: Set<StreamTopic> = []
    for await event in events {
      guard receive(event, on: connection, topics: &topics) else { break }
    }
    end(topics)
  }

  /// Handles one event; false when the connection is gone.
  private func receive(
    _ event: WebSocketEvent, on connection: WebSocketConnection, topics: inout Set<StreamTopic>
  )
    -> Bool
  {
    let before = topics.isEmpty
    defer { if before != topics.isEmpty { subscribers.add(topics.isEmpty ? -1 : 1) } }
    switch event {
    case .text(let text):
      do {
        try handle(try StreamMessage.parse(text), connection: connection, topics: &topics)
      } catch {
        connection.send(bytes: StreamFrames.error(code: error.code, message: error.message))
      }
    case .behind(let name, let after):
      // The ring moved on before this client read: continue the topic from the log.
      guard let topic = StreamTopic(name), topics.contains(topic) else { break }
      logger.debug(
        "subscriber behind the ring; continuing from the log",
        metadata: ["peer": "\(connection.peer)", "topic": "\(name)", "after": "\(after)"])
      do {
        try begin(topic, since: after, epoch: nil, connection: connection)
      } catch {
        topics.remove(topic)
        feed.release(topic)
        connection.send(bytes: StreamFrames.error(code: error.code, message: error.message))
      }
    case .ended(let name):
      if let topic = StreamTopic(name), topics.remove(topic) != nil { feed.release(topic) }
    case .closed:
      return false
    }
    return true
  }

  /// The connection is gone: its topics no longer count.
  private func end(_ topics: Set<StreamTopic>) {
    for topic in topics { feed.release(topic) }
    if !topics.isEmpty { subscribers.add(-1) }
  }

  private func handle(
    _ message: StreamMessage, connection: WebSocketConnection, topics: inout Set<StreamTopic>
  )
    throws(StreamMessageError)
  {
    switch message {
    case .subscribe(let topic, let since, let epoch):
      // Subscribing twice would send the snapshot twice; one client repeating it must not
      // multiply the server's work and memory.
      guard !topics.contains(topic) else {
        throw StreamMessageError(
          code: "already_subscribed",
          message: "Already subscribed to '\(topic)'; unsubscribe first to start it over.")
      }
      if case .wallet(let id) = topic {
        let wallet: Wallet?
        do { wallet = try wallets.wallet(id: id) } catch {
          logger.error("stream start failed", metadata: ["topic": "\(topic)", "error": "\(error)"])
          throw StreamMessageError(code: "unavailable", message: "The wallet could not be read; try again.")
        }
        guard wallet != nil else {
          throw StreamMessageError(
            code: "unknown_wallet", message: "No wallet with id '\(id.uuidString.lowercased())'.")
        }
      }
      guard topics.count < Self.maxTopicsPerConnection else {
        throw StreamMessageError(
          code: "too_many_topics", message: "At most \(Self.maxTopicsPerConnection) topics per connection.")
      }
      // Frames for the topic are made from here on, so none committed after the first frames'
      // read can be missing from the ring.
      feed.retain(topic)
      do {
        try begin(topic, since: since, epoch: epoch, connection: connection)
      } catch {
        feed.release(topic)
        throw error
      }
      topics.insert(topic)
    case .unsubscribe(let topic):
      guard topics.remove(topic) != nil else {
        throw StreamMessageError(code: "not_subscribed", message: "Not subscribed to '\(topic)'.")
      }
      connection.unfollow(topic.description)
      feed.release(topic)
      connection.send(bytes: StreamFrames.acknowledgement("unsubscribed", topic: topic))
    }
  }

  /// Reads the topic's first frames (a snapshot, or a replay after `since`) and has the
  /// connection follow the topic from where they end.
  private func begin(_ topic: StreamTopic, since: Int64?, epoch: String?, connection: WebSocketConnection)
    throws(StreamMessageError)
  {
    do {
      let (frames, through) = try start.frames(topic: topic, since: since, epoch: epoch)
      connection.follow(topic.description, after: through, first: frames)
    } catch {
      logger.error("stream start failed", metadata: ["topic": "\(topic)", "error": "\(error)"])
      throw StreamMessageError(code: "unavailable", message: "The snapshot could not be read; try again.")
    }
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
          topic: $0.topic.description, seq: $0.seq, bytes: $0.bytes, stamp: $0.readAt, endsTopic: $0.endsTopic
        )
      })
  }
}
