import CWebSockets

/// WebSocket connections on `options.webSocketPath`: frames in, frames out, close codes.
extension ServiceThreadState {
  /// Refuses an upgrade on another path, or while shutting down, with an HTTP answer.
  func confirmUpgrade(_ wsi: OpaquePointer) -> Int32 {
    let (_, path) = RequestReader.method(wsi)
    let refusal: HTTPResponse? =
      if draining {
        Problem.response(
          status: 503, title: "Service Unavailable", detail: "The server is shutting down.")
      } else if path != options.webSocketPath {
        Problem.response(
          status: 404, title: "Not Found",
          detail: "WebSocket connections are served at \(options.webSocketPath) only.")
      } else {
        nil
      }
    guard let refusal else { return 0 }
    return answerAndClose(wsi, refusal, method: "GET", path: path)
  }

  func openSession(_ wsi: OpaquePointer) {
    let (_, path) = RequestReader.method(wsi)
    let connection = WebSocketConnection(
      id: makeID(), path: path, peer: RequestReader.peer(wsi), state: self)
    let (events, continuation) = AsyncStream.makeStream(
      of: WebSocketEvent.self, bufferingPolicy: .unbounded)
    sessions[wsi] = WebSocketSession(connection: connection, events: continuation)
    sessionByID[connection.id] = wsi
    counters.withLock { $0.webSocketConnections += 1 }
    logger.info("GET \(path) 101", metadata: ["peer": "\(connection.peer)"])
    let responder = webSocketResponder
    Task { await responder.serve(connection, events: events) }
  }

  func receiveFrame(_ wsi: OpaquePointer, _ data: UnsafeRawBufferPointer) -> Int32 {
    guard let session = sessions[wsi], session.pendingClose == nil else { return 0 }
    // Binary messages count against the same limit as text, though they are refused whole.
    if session.message.count + data.count > options.maxWebSocketMessageBytes {
      session.message = []
      var reason = Array("message larger than \(options.maxWebSocketMessageBytes) bytes".utf8)
      lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, &reason, reason.count)
      return -1
    }
    session.message.append(contentsOf: data)
    guard lws_is_final_fragment(wsi) != 0, lws_remaining_packet_payload(wsi) == 0 else {
      return 0
    }
    let message = session.message
    session.message = []
    if lws_frame_is_binary(wsi) != 0 {
      session.connection.send(
        #"{"type":"error","code":"binary_frame","message":"Send JSON as text frames."}"#)
      return 0
    }
    session.events.yield(.text(String(decoding: message, as: UTF8.self)))
    return 0
  }

  func enqueueFrame(_ frame: OutboundFrame, on connectionID: UInt64) {
    guard let wsi = sessionByID[connectionID], let session = sessions[wsi],
      session.pendingClose == nil
    else { return }
    if session.queuedFrames >= options.maxQueuedFramesPerConnection {
      requestClose(connectionID, code: 1013, reason: "client too slow: queue full")
      return
    }
    session.outbound.append(frame)
    lws_callback_on_writable(wsi)
  }

  func requestClose(_ connectionID: UInt64, code: UInt16, reason: String) {
    guard let wsi = sessionByID[connectionID], let session = sessions[wsi] else { return }
    if session.pendingClose == nil { session.pendingClose = (code, reason) }
    if code == 1013 {
      session.outbound = []
      session.outboundHead = 0
    }
    lws_callback_on_writable(wsi)
  }

  /// One frame per writable callback; the close frame goes once the queue is empty.
  func writeFrame(_ wsi: OpaquePointer) -> Int32 {
    guard let session = sessions[wsi] else { return 0 }
    if let outbound = session.popFrame() {
      let frame = outbound.bytes
      let count = frame.count
      defer { if let stamp = outbound.stamp { frameLatency.record(.now - stamp) } }
      if count > scratchCapacity {
        var padded = [UInt8](repeating: 0, count: Int(portfolio_lws_pre)) + frame
        let written = padded.withUnsafeMutableBufferPointer { buffer in
          lws_write(wsi, buffer.baseAddress.map { $0 + Int(portfolio_lws_pre) }, count, LWS_WRITE_TEXT)
        }
        if written < count { return -1 }
      } else {
        payloadStart.update(from: frame, count: count)
        if lws_write(wsi, payloadStart, count, LWS_WRITE_TEXT) < count { return -1 }
      }
      if session.queuedFrames > 0 || session.pendingClose != nil { lws_callback_on_writable(wsi) }
      return 0
    }
    if let close = session.pendingClose {
      var reason = Array(close.reason.utf8.prefix(123))
      lws_close_reason(wsi, lws_close_status(rawValue: UInt32(close.code)), &reason, reason.count)
      return -1
    }
    return 0
  }

  func closeSession(_ wsi: OpaquePointer) {
    guard let session = sessions.removeValue(forKey: wsi) else { return }
    sessionByID[session.connection.id] = nil
    counters.withLock { $0.webSocketConnections -= 1 }
    session.events.yield(.closed)
    session.events.finish()
  }
}
