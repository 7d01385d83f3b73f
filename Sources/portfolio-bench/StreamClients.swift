import CWebSockets
import Foundation
import Synchronization

/// Many WebSocket clients of `/api/v1/stream` in one libwebsockets client context, served on a
/// thread of their own. Each connects, sends one subscribe message and then counts the diff
/// frames it receives, with the time from the change's `at` (the end of the server's chain
/// read) to the frame's arrival here.
final class StreamClients: Sendable {
  /// What the main thread may read while the clients run.
  struct Progress: Sendable {
    var established = 0
    var failed = 0
    var closed = 0
    var subscribed = 0
    var diffs = 0
    var firstError: String?
  }

  let state: StreamClientState

  /// Starts connecting `count` clients to `ws://127.0.0.1:port/api/v1/stream`, at most
  /// `concurrentHandshakes` at a time so the server's listen backlog never overflows.
  init(port: Int, count: Int, subscribe: String, concurrentHandshakes: Int = 200) throws {
    let state = StreamClientState(
      port: port, count: count, subscribe: Array(subscribe.utf8), concurrentHandshakes: concurrentHandshakes)
    try state.createContext()
    self.state = state
    let thread = Thread { [state] in state.serve() }
    thread.name = "bench-clients"
    thread.start()
  }

  var progress: Progress { state.shared.withLock { $0.progress } }

  /// Waits until all `count` clients have subscribed or failed, at most 180 s after
  /// `started`; answers how long after `started` that was.
  func waitUntilSubscribed(count: Int, since started: ContinuousClock.Instant) async throws -> Duration {
    while true {
      let progress = self.progress
      if progress.subscribed + progress.failed >= count { return .now - started }
      if ContinuousClock.now - started > .seconds(180) {
        throw BenchError("only \(progress.subscribed) of \(count) subscribed in 180 s")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
  }

  /// Latencies in milliseconds recorded so far, and the receipt times' span.
  func takeLatencies() -> (latencies: [Double], first: Double?, last: Double?) {
    state.shared.withLock { shared in
      defer { shared.latencies = [] }
      return (shared.latencies, shared.firstReceipt, shared.lastReceipt)
    }
  }

  /// Closes every connection and ends the thread.
  func stop() {
    state.shared.withLock { $0.stopRequested = true }
    state.wake()
    while !state.shared.withLock({ $0.finished }) { usleep(10_000) }
  }
}

/// The client thread's state. `@unchecked Sendable`: `context` and the C strings are written
/// before the thread starts and then used only on it (plus `lws_cancel_service`, which is safe
/// from any thread); everything other threads read sits in `shared`, behind a lock.
final class StreamClientState: @unchecked Sendable {
  struct Shared {
    var progress = StreamClients.Progress()
    var latencies: [Double] = []
    var firstReceipt: Double?
    var lastReceipt: Double?
    var stopRequested = false
    var finished = false
  }

  let shared = Mutex(Shared())
  let port: Int
  let count: Int
  let subscribe: [UInt8]
  let concurrentHandshakes: Int
  private(set) var context: OpaquePointer?
  private let strings = CStrings()
  private var protocols: UnsafeMutablePointer<lws_protocols>?
  private var address: UnsafePointer<CChar>?
  private var path: UnsafePointer<CChar>?

  // Client-thread only.
  private var started = 0
  private var inHandshake = 0
  private var connections: Set<OpaquePointer> = []
  private var subscribePending: Set<OpaquePointer> = []
  private let scratch: UnsafeMutablePointer<UInt8>
  /// The last `at` text parsed and its value: every client gets the same frame, so most
  /// frames reuse it.
  private var lastAt: [UInt8] = []
  private var lastAtMilliseconds: Double = 0

  init(port: Int, count: Int, subscribe: [UInt8], concurrentHandshakes: Int) {
    self.port = port
    self.count = count
    self.subscribe = subscribe
    self.concurrentHandshakes = concurrentHandshakes
    scratch = .allocate(capacity: Int(portfolio_lws_pre) + subscribe.count)
  }

  deinit {
    if let context { lws_context_destroy(context) }
    protocols?.deallocate()
    scratch.deallocate()
  }

  func createContext() throws {
    let protocols = UnsafeMutablePointer<lws_protocols>.allocate(capacity: 2)
    protocols.initialize(repeating: lws_protocols(), count: 2)
    protocols[0].name = try strings.make("bench")
    address = try strings.make("127.0.0.1")
    path = try strings.make("/api/v1/stream")
    protocols[0].callback = clientCallback
    protocols[0].rx_buffer_size = 64 * 1024
    self.protocols = protocols
    var info = lws_context_creation_info()
    info.port = -1  // CONTEXT_PORT_NO_LISTEN: a client-only context
    info.protocols = UnsafePointer(protocols)
    info.gid = -1
    info.uid = -1
    info.user = Unmanaged.passUnretained(self).toOpaque()
    guard let context = lws_create_context(&info) else {
      throw BenchError("could not create the libwebsockets client context")
    }
    self.context = context
  }

  func wake() {
    if let context { lws_cancel_service(context) }
  }

  func serve() {
    guard let context else { return }
    while true {
      connectMore()
      if lws_service(context, 0) < 0 { break }
      if shared.withLock({ $0.stopRequested }) && connections.isEmpty { break }
    }
    shared.withLock { $0.finished = true }
  }

  /// Opens connections until `count` were started, keeping few handshakes in flight.
  private func connectMore() {
    guard let context, started < count, !shared.withLock({ $0.stopRequested }) else { return }
    while started < count && inHandshake < concurrentHandshakes {
      var info = lws_client_connect_info()
      info.context = context
      info.address = address
      info.port = Int32(port)
      info.path = path
      info.host = info.address
      info.origin = info.address
      info.ietf_version_or_minus_one = -1
      info.local_protocol_name = UnsafePointer(protocols?[0].name)
      started += 1
      inHandshake += 1
      if lws_client_connect_via_info(&info) == nil {
        inHandshake -= 1
        shared.withLock { $0.progress.failed += 1 }
      }
    }
  }

  func handle(
    _ wsi: OpaquePointer, _ reason: lws_callback_reasons, _ input: UnsafeMutableRawPointer?, _ length: Int
  )
    -> Int32
  {
    switch reason {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
      inHandshake -= 1
      connections.insert(wsi)
      subscribePending.insert(wsi)
      shared.withLock { $0.progress.established += 1 }
      lws_callback_on_writable(wsi)
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
      inHandshake -= 1
      let message = input.map { String(cString: $0.assumingMemoryBound(to: CChar.self)) } ?? "unknown"
      shared.withLock { shared in
        shared.progress.failed += 1
        if shared.progress.firstError == nil { shared.progress.firstError = message }
      }
    case LWS_CALLBACK_CLIENT_WRITEABLE:
      if shared.withLock({ $0.stopRequested }) {
        var reason = Array("bench done".utf8)
        lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, &reason, reason.count)
        return -1
      }
      guard subscribePending.remove(wsi) != nil else { return 0 }
      let payload = scratch + Int(portfolio_lws_pre)
      payload.update(from: subscribe, count: subscribe.count)
      if lws_write(wsi, payload, subscribe.count, LWS_WRITE_TEXT) < subscribe.count { return -1 }
      shared.withLock { $0.progress.subscribed += 1 }
    case LWS_CALLBACK_CLIENT_RECEIVE:
      if lws_is_first_fragment(wsi) != 0, let input {
        receive(UnsafeRawBufferPointer(start: input, count: length))
      }
    case LWS_CALLBACK_CLIENT_CLOSED:
      connections.remove(wsi)
      shared.withLock { $0.progress.closed += 1 }
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
      if shared.withLock({ $0.stopRequested }) {
        for connection in connections { lws_callback_on_writable(connection) }
      }
    default:
      break
    }
    return 0
  }

  /// Counts a diff frame and its latency: the frame's first `"at":"…"` is when the server
  /// finished the chain read the change came from.
  private func receive(_ frame: UnsafeRawBufferPointer) {
    guard frame.starts(with: Self.changesPrefix), let at = Self.find(Self.atKey, in: frame) else { return }
    let end = at + 24
    guard end <= frame.count else { return }
    let text = frame[at..<end]
    if !text.elementsEqual(lastAt) {
      guard let milliseconds = Self.milliseconds(iso8601: Array(text)) else { return }
      lastAt = Array(text)
      lastAtMilliseconds = milliseconds
    }
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let received = Double(now.tv_sec) * 1000 + Double(now.tv_nsec) / 1e6
    let latency = received - lastAtMilliseconds
    shared.withLock { shared in
      shared.progress.diffs += 1
      shared.latencies.append(latency)
      if shared.firstReceipt == nil { shared.firstReceipt = received }
      shared.lastReceipt = received
    }
  }

  /// Diff frames start so: the writer sorts keys, and only diffs begin with `changes`.
  private static let changesPrefix = Array(#"{"changes":["#.utf8)
  private static let atKey = Array(#""at":""#.utf8)

  private static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    var index = 0
    while index <= haystack.count - needle.count {
      if haystack[index] == needle[0] && haystack[index..<index + needle.count].elementsEqual(needle) {
        return index + needle.count
      }
      index += 1
    }
    return nil
  }

  /// `2026-11-25T05:06:49.209Z` as milliseconds since 1970.
  static func milliseconds(iso8601 text: [UInt8]) -> Double? {
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for index in range {
        let digit = Int(text[index]) - 48
        guard (0...9).contains(digit) else { return nil }
        value = value * 10 + digit
      }
      return value
    }
    guard text.count >= 24, let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
      let millisecond = number(20..<23)
    else { return nil }
    // Days from 1970-01-01 to the civil date (Howard Hinnant's algorithm).
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second
    return Double(seconds) * 1000 + Double(millisecond)
  }
}

/// The C entry point for the client context's events.
private func clientCallback(
  wsi: OpaquePointer?, reason: lws_callback_reasons, user: UnsafeMutableRawPointer?,
  input: UnsafeMutableRawPointer?, length: Int
) -> Int32 {
  guard let wsi, let context = lws_get_context(wsi), let raw = lws_context_user(context) else { return 0 }
  let state = Unmanaged<StreamClientState>.fromOpaque(raw).takeUnretainedValue()
  return state.handle(wsi, reason, input, length)
}

/// C strings that live as long as their owner.
final class CStrings {
  private var pointers: [UnsafeMutablePointer<CChar>] = []

  func make(_ text: String) throws -> UnsafePointer<CChar> {
    guard let pointer = strdup(text) else { throw BenchError("out of memory") }
    pointers.append(pointer)
    return UnsafePointer(pointer)
  }

  deinit { for pointer in pointers { free(pointer) } }
}

struct BenchError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
