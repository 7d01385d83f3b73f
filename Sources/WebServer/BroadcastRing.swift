/// One frame of a broadcast: serialized once, framed for the wire once, its bytes shared by
/// every connection that follows its topic.
public struct BroadcastFrame: Sendable {
  public let topic: String
  /// The highest log position of the commit it came from; frames arrive in this order.
  public let seq: Int64
  /// The whole WebSocket frame: a server's frames are not masked, so the same bytes go to
  /// every connection, and several can leave in one write.
  let wire: [UInt8]
  /// When its data was read, to time how long it took to reach each socket.
  public let stamp: ContinuousClock.Instant?
  /// Nothing follows on this topic (a removed wallet): followers stop following it.
  public let endsTopic: Bool

  /// `bytes` is the frame's UTF-8 text.
  public init(
    topic: String, seq: Int64, bytes: [UInt8], stamp: ContinuousClock.Instant? = nil, endsTopic: Bool = false
  ) {
    self.topic = topic
    self.seq = seq
    self.wire = WebSocketWire.textFrame(bytes)
    self.stamp = stamp
    self.endsTopic = endsTopic
  }
}

/// RFC 6455 framing of a server's text frame.
enum WebSocketWire {
  static func textFrame(_ payload: [UInt8]) -> [UInt8] {
    var frame: [UInt8] = [0x81]  // FIN, text
    let count = payload.count
    if count < 126 {
      frame.append(UInt8(count))
    } else if count <= 0xFFFF {
      frame.append(126)
      frame.append(contentsOf: [UInt8(count >> 8), UInt8(count & 0xFF)])
    } else {
      frame.append(127)
      frame.append(
        contentsOf: (0..<8).reversed().map { UInt8(truncatingIfNeeded: UInt64(count) >> ($0 * 8)) })
    }
    frame.reserveCapacity(frame.count + count)
    frame.append(contentsOf: payload)
    return frame
  }

  /// Where the text of a frame made by `textFrame` begins.
  static func headerLength(_ frame: [UInt8]) -> Int {
    guard frame.count >= 2 else { return frame.count }
    switch frame[1] {
    case 126: return 4
    case 127: return 10
    default: return 2
    }
  }
}

/// The last frames published, in order, bounded in count and bytes. Each WebSocket session
/// reads it with a cursor of its own, so a frame is stored once however many read it.
/// Service-thread only.
struct BroadcastRing {
  private var slots: [BroadcastFrame?]
  /// The absolute position of the oldest frame kept, and of the next frame to come.
  private(set) var tail: UInt64 = 0
  private(set) var head: UInt64 = 0
  private(set) var bytes = 0
  /// Every frame above this `seq` is kept or still to come; older ones may have been dropped.
  private(set) var keptAfter = Int64.min
  let maxBytes: Int

  init(capacity: Int, maxBytes: Int) {
    slots = Array(repeating: nil, count: max(1, capacity))
    self.maxBytes = maxBytes
  }

  var capacity: Int { slots.count }

  mutating func append(_ frame: BroadcastFrame) {
    while head - tail >= UInt64(capacity) || (head > tail && bytes + frame.wire.count > maxBytes) {
      dropOldest()
    }
    slots[index(head)] = frame
    bytes += frame.wire.count
    head += 1
  }

  func frame(at position: UInt64) -> BroadcastFrame? {
    guard position >= tail, position < head else { return nil }
    return slots[index(position)]
  }

  /// Whether every frame with a `seq` above this one is still here (or still to come).
  func keepsEverything(after seq: Int64) -> Bool { seq >= keptAfter }

  private mutating func dropOldest() {
    let slot = index(tail)
    if let frame = slots[slot] {
      bytes -= frame.wire.count
      keptAfter = max(keptAfter, frame.seq)
    }
    slots[slot] = nil
    tail += 1
  }

  private func index(_ position: UInt64) -> Int { Int(position % UInt64(capacity)) }
}
