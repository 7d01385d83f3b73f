public import Foundation

/// What a stream subscription follows.
public enum StreamTopic: Hashable, Sendable, CustomStringConvertible {
  case portfolio
  case wallet(UUID)

  public init?(_ text: String) {
    if text == "portfolio" {
      self = .portfolio
    } else if text.hasPrefix("wallet:"), let id = UUID(uuidString: String(text.dropFirst(7))) {
      self = .wallet(id)
    } else {
      return nil
    }
  }

  public var description: String {
    switch self {
    case .portfolio: "portfolio"
    case .wallet(let id): "wallet:\(id.uuidString.lowercased())"
    }
  }
}

/// Where the hub delivers frames: a WebSocket connection, or a test's collector.
public protocol FrameSink: AnyObject, Sendable {
  var sinkID: UInt64 { get }
  func send(bytes: [UInt8])
  /// A frame of changes read at `stamp`; the sink may record when it leaves.
  func send(bytes: [UInt8], stamp: ContinuousClock.Instant)
  /// The same frame to many sinks of this kind at once.
  static func broadcast(bytes: [UInt8], stamp: ContinuousClock.Instant, to sinks: [Self])
}

extension FrameSink {
  public func send(bytes: [UInt8], stamp: ContinuousClock.Instant) { send(bytes: bytes) }

  public static func broadcast(bytes: [UInt8], stamp: ContinuousClock.Instant, to sinks: [Self]) {
    for sink in sinks { sink.send(bytes: bytes, stamp: stamp) }
  }
}
