import CWebSockets
import Foundation
import Logging
import Synchronization

/// Everything the libwebsockets service thread owns. lws is single-threaded: every method
/// here runs on that thread, inside a callback, and only `ServiceThreadInbox`, `handlers` and
/// `counters` are shared with other threads.
///
/// `@unchecked Sendable`: the instance is reached from the C callback on the service thread
/// and handed to `WebServer` (for `inbox`, `counters` and `cancelService`), which other threads
/// use; those two members are locked, everything else is confined to the service thread.
final class ServiceThreadState: @unchecked Sendable {
  let options: WebServerOptions
  let httpResponder: any HTTPResponder
  let webSocketResponder: any WebSocketResponder
  let logger: Logger
  let inbox = ServiceThreadInbox()
  /// Where handlers run, off this thread.
  let handlers = HandlerTasks()
  /// Stamp-to-socket time of stamped WebSocket frames.
  let frameLatency: FrameLatency
  let counters = Mutex(ServiceCounters())
  /// WebSocket text frames written in full, for metrics.
  let framesSent = Atomic<Int>(0)
  /// Which other sites' pages may call the server (built once from the options).
  let crossOrigin: CrossOriginPolicy
  /// Set once the context exists; read by other threads only to call `lws_cancel_service`.
  let context = Mutex<ContextHandle?>(nil)

  // Service-thread only.
  var exchanges: [OpaquePointer: HTTPExchange] = [:]
  var exchangeByRequestID: [UInt64: OpaquePointer] = [:]
  var sessions: [OpaquePointer: WebSocketSession] = [:]
  var sessionByID: [UInt64: OpaquePointer] = [:]
  /// The broadcast frames every session reads with its own cursor.
  var ring: BroadcastRing
  /// Answers waiting for connections lws turned raw because it could not parse them.
  var rawRefusals: [OpaquePointer: [UInt8]] = [:]
  var nextID: UInt64 = 1
  var draining = false
  var stopRequested = false
  let scratch: UnsafeMutablePointer<UInt8>
  let scratchCapacity = 64 * 1024

  init(
    options: WebServerOptions, httpResponder: any HTTPResponder,
    webSocketResponder: any WebSocketResponder, logger: Logger, frameLatency: FrameLatency
  ) {
    self.frameLatency = frameLatency
    self.options = options
    self.httpResponder = httpResponder
    self.webSocketResponder = webSocketResponder
    self.logger = logger
    crossOrigin = CrossOriginPolicy(
      allowedOrigins: options.allowedOrigins, scheme: options.tls == nil ? "http" : "https")
    scratch = .allocate(capacity: Int(portfolio_lws_pre) + scratchCapacity)
    ring = BroadcastRing(capacity: options.broadcastRingFrames, maxBytes: options.broadcastRingBytes)
  }

  deinit { scratch.deallocate() }

  /// Room after LWS_PRE in the scratch buffer, where lws_write wants its payload.
  var payloadStart: UnsafeMutablePointer<UInt8> { scratch + Int(portfolio_lws_pre) }

  func makeID() -> UInt64 {
    defer { nextID += 1 }
    return nextID
  }

  /// Queues a command from any thread and wakes the service thread if it is not already due.
  func submit(_ command: ServiceCommand) {
    if inbox.push(command) { cancelService() }
  }

  /// Wakes the service thread from any thread.
  func cancelService() {
    context.withLock { handle in
      if let handle { lws_cancel_service(handle.pointer) }
    }
  }

  func handle(
    wsi: OpaquePointer, reason: lws_callback_reasons, user: UnsafeMutableRawPointer?,
    input: UnsafeMutableRawPointer?, length: Int
  ) -> Int32 {
    switch reason {
    case LWS_CALLBACK_FILTER_HTTP_CONNECTION:
      return filterRequest(wsi)
    case LWS_CALLBACK_HTTP:
      return beginRequest(wsi)
    case LWS_CALLBACK_HTTP_BODY:
      return receiveBody(wsi, UnsafeRawBufferPointer(start: input, count: length))
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
      return finishBody(wsi)
    case LWS_CALLBACK_HTTP_WRITEABLE:
      return writeResponse(wsi)
    case LWS_CALLBACK_ADD_HEADERS:
      return addFileHeaders(wsi, input)
    case LWS_CALLBACK_CLOSED_HTTP:
      forgetExchange(wsi)
    case LWS_CALLBACK_HTTP_CONFIRM_UPGRADE:
      return confirmUpgrade(wsi)
    case LWS_CALLBACK_ESTABLISHED:
      openSession(wsi)
    case LWS_CALLBACK_RECEIVE:
      return receiveFrame(wsi, UnsafeRawBufferPointer(start: input, count: length))
    case LWS_CALLBACK_SERVER_WRITEABLE:
      return writeFrame(wsi)
    case LWS_CALLBACK_CLOSED:
      closeSession(wsi)
    case LWS_CALLBACK_RAW_RX:
      return refuseRawRequest(wsi, UnsafeRawBufferPointer(start: input, count: length))
    case LWS_CALLBACK_RAW_WRITEABLE:
      return writeRawRefusal(wsi)
    case LWS_CALLBACK_WSI_DESTROY:
      forgetExchange(wsi)
      closeSession(wsi)
      rawRefusals[wsi] = nil
    case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
      runCommands()
    default:
      break
    }
    return lws_callback_http_dummy(wsi, reason, user, input, length)
  }

  /// Applies what other threads queued.
  private func runCommands() {
    var published = false
    defer { if published { wakeFollowers() } }
    for command in inbox.drain() {
      switch command {
      case .respond(let requestID, let response):
        deliver(response, to: requestID)
      case .sendText(let connectionID, let bytes):
        enqueueFrame(OutboundFrame(bytes: bytes, stamp: nil), on: connectionID)
      case .publish(let frames):
        for frame in frames { ring.append(frame) }
        published = true
      case .follow(let connectionID, let topic, let after, let first):
        follow(connectionID, topic: topic, after: after, first: first)
      case .unfollow(let connectionID, let topic):
        if let wsi = sessionByID[connectionID] { sessions[wsi]?.followed[topic] = nil }
      case .close(let connectionID, let code, let reason):
        requestClose(connectionID, code: code, reason: reason)
      case .beginShutdown:
        draining = true
        for id in Array(sessionByID.keys) {
          requestClose(id, code: 1001, reason: "server shutting down")
        }
      case .stop:
        stopRequested = true
      }
    }
  }
}

/// The context pointer, shared so other threads can call `lws_cancel_service` on it.
/// `@unchecked Sendable`: that is the only call made through it off the service thread.
struct ContextHandle: @unchecked Sendable {
  let pointer: OpaquePointer
}
