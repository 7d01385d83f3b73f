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
        upgradeRefusal(wsi)
      }
    guard let refusal else { return 0 }
    return answerAndClose(wsi, refusal, method: "GET", path: path)
  }

  func openSession(_ wsi: OpaquePointer) {
    let (_, path) = RequestReader.method(wsi)
    let connection = WebSocketConnection(
      id: makeID(), path: path, peer: RequestReader.peer(wsi),
      authorization: RequestReader.header(wsi, WSI_TOKEN_HTTP_AUTHORIZATION), state: self)
    let mailbox = WebSocketMailbox(handler: webSocketResponder.open(connection))
    sessions[wsi] = WebSocketSession(connection: connection, mailbox: mailbox)
    sessionByID[connection.id] = wsi
    counters.withLock { $0.webSocketConnections += 1 }
    let requestID = RequestID.make(from: RequestReader.customHeader(wsi, RequestID.headerName))
    logger.info(
      "GET \(path) 101", metadata: ["peer": "\(connection.peer)", "request_id": "\(requestID)"])
    options.requestObserver?.completed(
      method: .get, route: options.webSocketPath, status: 101, duration: .zero)
  }

  /// Hands an event to the session's handler, starting a delivery when none is under way.
  /// False when the client has too many messages waiting already: one that sends faster than
  /// it is answered is closed, not buffered for.
  @discardableResult
  func post(_ event: WebSocketEvent, to session: WebSocketSession) -> Bool {
    let mailbox = session.mailbox
    switch mailbox.post(event, limit: options.maxPendingWebSocketMessages) {
    case .full:
      return false
    case .queued:
      return true
    case .startDelivery:
      handlers.start { await mailbox.deliver() }
      return true
    }
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
    if !post(.text(String(decoding: message, as: UTF8.self)), to: session) {
      var reason = Array("more than \(options.maxPendingWebSocketMessages) messages awaiting an answer".utf8)
      lws_close_reason(wsi, LWS_CLOSE_STATUS_POLICY_VIOLATION, &reason, reason.count)
      return -1
    }
    return 0
  }

  func enqueueFrame(_ frame: OutboundFrame, on connectionID: UInt64) {
    guard let wsi = sessionByID[connectionID], let session = sessions[wsi],
      session.pendingClose == nil
    else { return }
    guard queue(frame, on: session) else { return }
    lws_callback_on_writable(wsi)
  }

  /// Adds a frame to the session's own queue; a session that lets too much pile up is closed
  /// with 1013 instead, so one reader that never reads cannot grow the server without bound.
  private func queue(_ frame: OutboundFrame, on session: WebSocketSession) -> Bool {
    let control = session.control
    if control.count >= options.maxQueuedFramesPerConnection
      || (!control.isEmpty && control.bytes + frame.bytes.count > options.maxQueuedBytesPerConnection)
    {
      requestClose(session.connection.id, code: 1013, reason: "client too slow: queue full")
      return false
    }
    session.control.append(frame)
    return true
  }

  /// Starts a topic on a session: its first frames, then the ring's frames of the topic above
  /// `after` that the session's cursor has passed already, then the rest as the cursor reaches
  /// them.
  func follow(_ connectionID: UInt64, topic: String, after: Int64, first: [[UInt8]]) {
    guard let wsi = sessionByID[connectionID], let session = sessions[wsi],
      session.pendingClose == nil
    else { return }
    for bytes in first {
      guard queue(OutboundFrame(bytes: bytes, stamp: nil), on: session) else { return }
    }
    // A session that followed nothing has nothing to catch up on before the ring's head.
    if session.followed.isEmpty { session.cursor = ring.head }
    guard ring.keepsEverything(after: after) else {
      post(.behind(topic: topic, after: after), to: session)
      lws_callback_on_writable(wsi)
      return
    }
    var sent = after
    var position = ring.tail
    while position < session.cursor {
      if let frame = ring.frame(at: position), frame.topic == topic, frame.seq > sent {
        guard queue(OutboundFrame(bytes: frame.wire, stamp: frame.stamp, framed: true), on: session) else {
          return
        }
        sent = frame.seq
        if frame.endsTopic {
          post(.ended(topic: topic), to: session)
          lws_callback_on_writable(wsi)
          return
        }
      }
      position += 1
    }
    session.followed[topic] = sent
    lws_callback_on_writable(wsi)
  }

  /// New frames are in the ring: every session that follows a topic looks at them.
  func wakeFollowers() {
    for (wsi, session) in sessions where !session.followed.isEmpty && session.cursor < ring.head {
      lws_callback_on_writable(wsi)
    }
  }

  /// The next ring frame for this session, moving its cursor past frames of other topics; nil
  /// at the head, or when the next one is larger than `limit` (it stays next). A session whose
  /// cursor fell off the ring starts each topic again from the log.
  private func nextRingFrame(_ session: WebSocketSession, limit: Int = .max) -> BroadcastFrame? {
    guard !session.followed.isEmpty else { return nil }
    if session.cursor < ring.tail {
      for (topic, after) in session.followed {
        post(.behind(topic: topic, after: after), to: session)
      }
      session.followed = [:]
      session.cursor = ring.head
      return nil
    }
    while session.cursor < ring.head {
      guard let frame = ring.frame(at: session.cursor), let sent = session.followed[frame.topic],
        frame.seq > sent
      else {
        session.cursor += 1
        continue
      }
      guard frame.wire.count <= limit else { return nil }
      session.cursor += 1
      session.followed[frame.topic] = frame.endsTopic ? nil : frame.seq
      if frame.endsTopic { post(.ended(topic: frame.topic), to: session) }
      return frame
    }
    return nil
  }

  func requestClose(_ connectionID: UInt64, code: UInt16, reason: String) {
    guard let wsi = sessionByID[connectionID], let session = sessions[wsi] else { return }
    if session.pendingClose == nil { session.pendingClose = (code, reason) }
    if code == 1013 {
      session.control.removeAll()
      session.followed = [:]
    }
    lws_callback_on_writable(wsi)
  }

  /// One write per writable callback: the rest of a large frame, else the session's own next
  /// frame, else as many of its next ring frames as fit one buffer (one system call for a
  /// client that is behind by several); the close frame goes once nothing else is queued.
  func writeFrame(_ wsi: OpaquePointer) -> Int32 {
    guard let session = sessions[wsi] else { return 0 }
    let wrote: Bool
    if let partial = session.partial {
      guard writeText(wsi, session, partial.bytes, from: partial.offset, start: partial.start) else {
        return -1
      }
      wrote = true
    } else if let frame = session.control.pop() {
      if let stamp = frame.stamp { frameLatency.record(.now - stamp) }
      guard write(wsi, session, frame) else { return -1 }
      wrote = true
    } else if let written = writeRingFrames(wsi, session) {
      guard written else { return -1 }
      wrote = true
    } else {
      wrote = false
    }
    let more =
      session.partial != nil || !session.control.isEmpty
      || (!session.followed.isEmpty && session.cursor < ring.head)
    if more || (wrote && session.pendingClose != nil) {
      lws_callback_on_writable(wsi)
      return 0
    }
    if !wrote, let close = session.pendingClose {
      var reason = Array(close.reason.utf8.prefix(123))
      lws_close_reason(wsi, lws_close_status(rawValue: UInt32(close.code)), &reason, reason.count)
      return -1
    }
    return 0
  }

  /// Copies the session's next ring frames, whole, into the scratch buffer and writes them at
  /// once; a frame larger than the buffer goes alone, in fragments. nil when there was none,
  /// else whether the write succeeded.
  private func writeRingFrames(_ wsi: OpaquePointer, _ session: WebSocketSession) -> Bool? {
    var used = 0
    while let frame = nextRingFrame(session, limit: used == 0 ? .max : scratchCapacity - used) {
      if let stamp = frame.stamp { frameLatency.record(.now - stamp) }
      if frame.wire.count > scratchCapacity {
        return write(wsi, session, OutboundFrame(bytes: frame.wire, stamp: nil, framed: true))
      }
      frame.wire.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress { (payloadStart + used).update(from: base, count: buffer.count) }
      }
      used += frame.wire.count
    }
    guard used > 0 else { return nil }
    return lws_write(wsi, payloadStart, used, LWS_WRITE_HTTP) >= used
  }

  /// Writes one frame: a whole wire frame that fits the buffer as it is, anything else as text
  /// fragments, so lws may put its pings between them (never inside a frame).
  private func write(_ wsi: OpaquePointer, _ session: WebSocketSession, _ frame: OutboundFrame) -> Bool {
    guard frame.framed else { return writeText(wsi, session, frame.bytes, from: 0, start: 0) }
    guard frame.bytes.count > scratchCapacity else {
      frame.bytes.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress { payloadStart.update(from: base, count: buffer.count) }
      }
      return lws_write(wsi, payloadStart, frame.bytes.count, LWS_WRITE_HTTP) >= frame.bytes.count
    }
    let header = WebSocketWire.headerLength(frame.bytes)
    return writeText(wsi, session, frame.bytes, from: header, start: header)
  }

  /// Writes up to one scratch buffer of the text in `bytes` (from `start`), from `offset`, as
  /// one WebSocket fragment: a large frame goes out in pieces without a copy of its own per
  /// connection.
  private func writeText(
    _ wsi: OpaquePointer, _ session: WebSocketSession, _ bytes: [UInt8], from offset: Int, start: Int
  ) -> Bool {
    let count = min(bytes.count - offset, scratchCapacity)
    bytes.withUnsafeBufferPointer { buffer in
      if let base = buffer.baseAddress { payloadStart.update(from: base + offset, count: count) }
    }
    let last = offset + count == bytes.count
    var kind = offset == start ? LWS_WRITE_TEXT.rawValue : LWS_WRITE_CONTINUATION.rawValue
    if !last { kind |= LWS_WRITE_NO_FIN.rawValue }
    guard lws_write(wsi, payloadStart, count, lws_write_protocol(rawValue: kind)) >= count else {
      return false
    }
    session.partial = last ? nil : (bytes, offset + count, start)
    if last { framesSent.add(1, ordering: .relaxed) }
    return true
  }

  func closeSession(_ wsi: OpaquePointer) {
    guard let session = sessions.removeValue(forKey: wsi) else { return }
    sessionByID[session.connection.id] = nil
    counters.withLock { $0.webSocketConnections -= 1 }
    post(.closed, to: session)
  }
}
