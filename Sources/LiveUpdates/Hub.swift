public import Foundation
import PortfolioCore
public import Storage
import Synchronization

/// Fans changes out to stream subscribers. Each diff is serialized once per topic and the same
/// bytes go to every subscriber. A subscription starts pending: frames published while its
/// snapshot or replay is being read are held, then released if newer than what was read.
public final class Hub: Sendable {
  private struct Subscription {
    /// False while the first frames are read: diffs are held meanwhile.
    var live = false
    var held: [(seq: Int64, frame: [UInt8])] = []
  }

  private struct Subscriber {
    let sink: any FrameSink
    var topics: [StreamTopic: Subscription] = [:]
  }

  private let subscribers = Mutex<[UInt64: Subscriber]>([:])

  public init() {}

  /// Registers the topic as pending; call `release` once the first frames are sent.
  public func hold(_ topic: StreamTopic, for sink: any FrameSink) {
    subscribers.withLock { all in
      all[sink.sinkID, default: Subscriber(sink: sink)].topics[topic] = Subscription()
    }
  }

  /// The subscriber has everything through `seq`: held frames after it go out, then live ones.
  public func release(_ topic: StreamTopic, for sink: any FrameSink, through seq: Int64) {
    let frames = subscribers.withLock { all -> [[UInt8]] in
      guard var subscription = all[sink.sinkID]?.topics[topic] else { return [] }
      let newer = subscription.held.filter { $0.seq > seq }.map(\.frame)
      subscription.held = []
      subscription.live = true
      all[sink.sinkID]?.topics[topic] = subscription
      return newer
    }
    for frame in frames { sink.send(bytes: frame) }
  }

  public func unsubscribe(_ topic: StreamTopic, for sink: any FrameSink) {
    subscribers.withLock { all in _ = all[sink.sinkID]?.topics.removeValue(forKey: topic) }
  }

  public func remove(_ sink: any FrameSink) {
    subscribers.withLock { all in _ = all.removeValue(forKey: sink.sinkID) }
  }

  public var subscriberCount: Int { subscribers.withLock { $0.count } }

  /// Publishes committed changes: one diff frame per topic that has subscribers.
  public func publish(_ changes: [BalanceChange], readAt: ContinuousClock.Instant = .now) {
    guard let last = changes.map(\.seq).max() else { return }
    var byTopic: [StreamTopic: [BalanceChange]] = [.portfolio: changes]
    for change in changes { byTopic[.wallet(change.walletID), default: []].append(change) }
    deliver(
      readAt: readAt,
      byTopic.mapValues { changes in
        (
          seq: changes.map(\.seq).max() ?? last,
          frame: { topic in StreamFrames.diff(topic: topic, changes: changes) }
        )
      })
  }

  /// Sends an event that is not in the change log (a wallet added or removed) to live
  /// subscribers of the topic.
  public func announce(_ frame: [UInt8], to topic: StreamTopic) {
    let sinks = subscribers.withLock { all in
      all.values.filter { $0.topics[topic]?.live == true }.map(\.sink)
    }
    for sink in sinks { sink.send(bytes: frame) }
  }

  /// A wallet's subscribers are told it is gone and their subscription ends.
  public func walletRemoved(_ id: UUID) {
    let topic = StreamTopic.wallet(id)
    announce(StreamFrames.walletRemoved(id, topic: topic), to: topic)
    announce(StreamFrames.walletRemoved(id, topic: .portfolio), to: .portfolio)
    subscribers.withLock { all in
      for key in all.keys { all[key]?.topics.removeValue(forKey: topic) }
    }
  }

  private func deliver(
    readAt: ContinuousClock.Instant, _ frames: [StreamTopic: (seq: Int64, frame: (StreamTopic) -> [UInt8])]
  ) {
    var encoded: [StreamTopic: [UInt8]] = [:]
    let sends = subscribers.withLock { all -> [StreamTopic: [any FrameSink]] in
      var sends: [StreamTopic: [any FrameSink]] = [:]
      // Iterates a copy; only pending subscriptions are written back, live ones cost a lookup.
      for (key, subscriber) in all {
        for (topic, subscription) in subscriber.topics {
          guard let entry = frames[topic] else { continue }
          let bytes = encoded[topic] ?? entry.frame(topic)
          encoded[topic] = bytes
          if subscription.live {
            sends[topic, default: []].append(subscriber.sink)
          } else {
            all[key]?.topics[topic]?.held.append((entry.seq, bytes))
          }
        }
      }
      return sends
    }
    for (topic, sinks) in sends {
      guard let bytes = encoded[topic] else { continue }
      var rest = sinks[...]
      // Sinks of one kind go out together (every WebSocket subscriber in one step).
      while let first = rest.first {
        rest = Self.broadcast(bytes, stamp: readAt, toKindOf: first, among: rest)
      }
    }
  }

  /// Broadcasts to the sinks of `first`'s kind and answers the others.
  private static func broadcast<Sink: FrameSink>(
    _ bytes: [UInt8], stamp: ContinuousClock.Instant, toKindOf first: Sink,
    among sinks: ArraySlice<any FrameSink>
  ) -> ArraySlice<any FrameSink> {
    var same: [Sink] = []
    var others: [any FrameSink] = []
    for sink in sinks {
      if let sink = sink as? Sink { same.append(sink) } else { others.append(sink) }
    }
    Sink.broadcast(bytes: bytes, stamp: stamp, to: same)
    return others[...]
  }
}
