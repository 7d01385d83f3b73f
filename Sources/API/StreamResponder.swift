import Foundation
public import Logging
public import Storage
public import WebServer

/// `/api/v1/stream`: parses subscribe and unsubscribe messages, acknowledges them and answers
/// anything else with an `error` frame, keeping the connection open.
public struct StreamResponder: WebSocketResponder {
  private let wallets: WalletStore
  private let database: AppDatabase
  private let logger: Logger

  /// More topics than this on one connection is refused; a dashboard needs a handful.
  static let maxTopicsPerConnection = 1000

  public init(database: AppDatabase, logger: Logger) {
    self.database = database
    self.wallets = WalletStore(database)
    self.logger = logger
  }

  public func serve(_ connection: WebSocketConnection, events: AsyncStream<WebSocketEvent>) async {
    var topics: Set<StreamTopic> = []
    for await event in events {
      guard case .text(let text) = event else { break }
      do {
        let reply = try handle(try StreamMessage.parse(text), topics: &topics)
        connection.send(bytes: reply)
      } catch {
        connection.send(bytes: Self.frame(["type": "error", "code": error.code, "message": error.message]))
      }
    }
  }

  private func handle(_ message: StreamMessage, topics: inout Set<StreamTopic>) throws(StreamMessageError)
    -> [UInt8]
  {
    switch message {
    case .subscribe(let topic, _, _):
      if case .wallet(let id) = topic, (try? wallets.wallet(id: id)) == nil {
        throw StreamMessageError(
          code: "unknown_wallet", message: "No wallet with id '\(id.uuidString.lowercased())'.")
      }
      guard topics.count < Self.maxTopicsPerConnection || topics.contains(topic) else {
        throw StreamMessageError(
          code: "too_many_topics", message: "At most \(Self.maxTopicsPerConnection) topics per connection.")
      }
      topics.insert(topic)
      let epoch = (try? database.epoch()) ?? ""
      return Self.frame(["type": "subscribed", "topic": topic.description, "epoch": epoch])
    case .unsubscribe(let topic):
      guard topics.remove(topic) != nil else {
        throw StreamMessageError(code: "not_subscribed", message: "Not subscribed to '\(topic)'.")
      }
      return Self.frame(["type": "unsubscribed", "topic": topic.description])
    }
  }

  static func frame(_ object: [String: String]) -> [UInt8] {
    (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
      .map(Array.init)
      ?? Array(#"{"type":"error","code":"internal","message":"encoding failed"}"#.utf8)
  }
}
