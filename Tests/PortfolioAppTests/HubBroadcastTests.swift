import Foundation
import LiveUpdates
import Synchronization
import Testing

@testable import Storage

/// The hub hands one diff to each kind of sink in one step, and every subscriber gets it once.
@Suite struct HubBroadcastTests {
  final class BatchingSink: FrameSink {
    static let batches = Mutex<[Int]>([])
    let sinkID: UInt64
    let frames = Mutex<[[UInt8]]>([])

    init(_ id: UInt64) { sinkID = id }

    func send(bytes: [UInt8]) { frames.withLock { $0.append(bytes) } }

    static func broadcast(bytes: [UInt8], stamp: ContinuousClock.Instant, to sinks: [BatchingSink]) {
      batches.withLock { $0.append(sinks.count) }
      for sink in sinks { sink.send(bytes: bytes) }
    }
  }

  final class PlainSink: FrameSink {
    let sinkID: UInt64
    let frames = Mutex<[[UInt8]]>([])

    init(_ id: UInt64) { sinkID = id }

    func send(bytes: [UInt8]) { frames.withLock { $0.append(bytes) } }
  }

  @Test func oneDiffReachesEverySinkOnceAndEachKindInOneBatch() throws {
    let hub = Hub()
    let batching = (1...3).map { BatchingSink(UInt64($0)) }
    let plain = (4...5).map { PlainSink(UInt64($0)) }
    let all: [any FrameSink] = batching + plain
    for sink in all {
      hub.hold(.portfolio, for: sink)
      hub.release(.portfolio, for: sink, through: 0)
    }
    let change = BalanceChange(
      seq: 7, walletID: UUID(), chain: "ethereum", token: nil, symbol: "ETH", decimals: 18, rawOld: "1",
      rawNew: "2", block: 9, at: Date())
    hub.publish([change])

    let received = batching.map { $0.frames.withLock { $0 } } + plain.map { $0.frames.withLock { $0 } }
    #expect(received.map(\.count) == [1, 1, 1, 1, 1])
    #expect(Set(received.map { $0.first ?? [] }).count == 1)
    let text = String(decoding: received[0].first ?? [], as: UTF8.self)
    #expect(text.contains(#""type":"diff""#) && text.contains(#""seq":7"#))
    #expect(BatchingSink.batches.withLock { $0 } == [3])
  }
}
