import Foundation
import LiveUpdates
import Logging
import PortfolioCore
import Storage
import WebServer

/// What every stream connection shares, held once: sessions keep a reference, not a copy.
final class StreamCore: Sendable {
  private let wallets: WalletStore
  private let start: StreamStart
  private let feed: ChangeFeed
  private let logger: Logger
  let subscribers = SubscriberCount()

  /// More topics than this on one connection is refused; a dashboard needs a handful.
  static let maxTopicsPerConnection = 1000

  init(database: AppDatabase, feed: ChangeFeed, logger: Logger) {
    self.wallets = WalletStore(database)
    self.start = StreamStart(database: database)
    self.feed = feed
    self.logger = logger
  }

  /// Handles one event; false when the connection is gone.
  func receive(
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
  func end(_ topics: inout Set<StreamTopic>) {
    for topic in topics { feed.release(topic) }
    if !topics.isEmpty { subscribers.add(-1) }
    topics = []
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
