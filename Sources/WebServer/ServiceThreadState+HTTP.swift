import CWebSockets
import Foundation

/// HTTP requests: read on the service thread, answered in Swift concurrency, written back here.
extension ServiceThreadState {
  /// Refuses malformed requests, and other methods than GET and HEAD on static files (lws'
  /// file mount would serve any method), before the mount or the router sees them.
  func filterRequest(_ wsi: OpaquePointer) -> Int32 {
    let (method, path) = RequestReader.method(wsi)
    if let refusal = malformedRequest(wsi, path: path) {
      return answerAndClose(wsi, refusal, method: method?.rawValue ?? "-", path: path)
    }
    guard options.staticDirectory != nil else { return 0 }
    guard !options.dynamicPathPrefixes.contains(where: { path.hasPrefix($0) }), let method,
      method != .get, method != .head
    else { return 0 }
    var refusal = Problem(
      status: 405, title: "Method Not Allowed",
      detail: "\(method.rawValue) is not allowed on \(path); use GET, HEAD.",
      extensions: ["allowed_methods": .strings(["GET", "HEAD"])]
    ).response
    refusal.headers.append(("allow", "GET, HEAD"))
    _ = answerAndClose(wsi, refusal, method: method.rawValue, path: path)
    return 1  // lws closes the connection
  }

  /// Writes a small response from inside a callback, outside the normal exchange, for
  /// refusals lws asks about before a request is routed. The connection closes afterwards.
  func answerAndClose(_ wsi: OpaquePointer, _ response: HTTPResponse, method: String, path: String)
    -> Int32
  {
    let started = ContinuousClock.now
    let requestID = RequestID.make(from: nil)
    var response = response
    response.headers.append((RequestID.headerName, requestID))
    let bytes = ClosingResponse.encode(response)
    guard bytes.count <= scratchCapacity else { return -1 }
    payloadStart.update(from: bytes, count: bytes.count)
    _ = lws_write(wsi, payloadStart, bytes.count, LWS_WRITE_HTTP_FINAL)
    logger.info(
      "\(method) \(path) \(response.status)",
      metadata: ["request_id": "\(requestID)", "peer": "\(RequestReader.peer(wsi))"])
    options.requestObserver?.completed(
      method: HTTPMethod(rawValue: method), route: nil, status: response.status, duration: .now - started)
    return 1
  }

  func beginRequest(_ wsi: OpaquePointer) -> Int32 {
    let (method, path) = RequestReader.method(wsi)
    let headers = RequestReader.headers(wsi, extra: options.extraHeaders)
    let request = HTTPRequest(
      method: method ?? .get, path: path, query: RequestReader.query(wsi), headers: headers,
      peer: RequestReader.peer(wsi), id: RequestID.make(from: headers[RequestID.headerName]))
    let lengthField = headers["content-length"]
    let declaredLength = lengthField.flatMap { field in
      field.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ? Int(field) : nil
    }
    let chunked = headers["transfer-encoding"] != nil
    let exchange = HTTPExchange(
      requestID: makeID(), request: request,
      expectedBodyLength: chunked ? Int.max : max(declaredLength ?? 0, 0))
    exchanges[wsi] = exchange
    exchangeByRequestID[exchange.requestID] = wsi
    counters.withLock { $0.requestsInFlight += 1 }

    if method == nil {
      return refuse(
        wsi, exchange,
        Problem.response(
          status: 501, title: "Not Implemented",
          detail: "This server does not implement that HTTP method."))
    }
    if draining {
      return refuse(
        wsi, exchange,
        Problem.response(
          status: 503, title: "Service Unavailable",
          detail: "The server is shutting down; retry shortly."))
    }
    if let answer = crossSiteAnswer(wsi, request) {
      return refuse(wsi, exchange, answer, keepAlive: exchange.phase == .handling)
    }
    if let lengthField, declaredLength == nil {
      return refuse(
        wsi, exchange,
        Problem.response(
          status: 400, title: "Bad Request",
          detail: "Content-Length must be a decimal number of bytes, not '\(lengthField.prefix(40))'."))
    }
    if let declaredLength, declaredLength > options.maxBodyBytes {
      return refuse(wsi, exchange, Problem.payloadTooLarge(limit: options.maxBodyBytes))
    }
    if let transferEncoding = headers["transfer-encoding"] {
      if let refusal = refuseTransferEncoding(
        transferEncoding, method: method ?? .get, hasLength: lengthField != nil)
      {
        return refuse(wsi, exchange, refusal)
      }
      exchange.chunkedBody = ChunkedBody(limit: options.maxBodyBytes)
      // lws reads a body without a length as 100 MiB: it would take the next request as body.
      exchange.connectionSpent = true
    }
    if let refusal = bodyTypeRefusal(request, hasBody: chunked || (declaredLength ?? 0) > 0) {
      return refuse(wsi, exchange, refusal)
    }
    if exchange.phase == .handling { dispatch(exchange, wsi: wsi) }
    return 0
  }

  /// Only a chunked body is accepted, and only where lws reads a body without a length: for
  /// POST, PUT and PATCH (RFC 9112 §6.1, §6.3).
  private func refuseTransferEncoding(_ field: String, method: HTTPMethod, hasLength: Bool)
    -> HTTPResponse?
  {
    let codings = field.lowercased().split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    if codings.last != "chunked" {
      return Problem.response(
        status: 400, title: "Bad Request",
        detail: "Transfer-Encoding '\(field.prefix(60))' does not end with chunked, so the body has no end.")
    }
    if codings.count > 1 {
      return Problem.response(
        status: 501, title: "Not Implemented",
        detail: "Transfer-Encoding '\(field.prefix(60))' is not supported; send the body chunked only.")
    }
    if hasLength {
      return Problem.response(
        status: 400, title: "Bad Request",
        detail: "A request must not carry both Content-Length and Transfer-Encoding.")
    }
    guard [.post, .put, .patch].contains(method) else {
      return Problem.response(
        status: 411, title: "Length Required",
        detail: "A \(method.rawValue) body cannot be chunked here; send it with a Content-Length.")
    }
    return nil
  }

  func receiveBody(_ wsi: OpaquePointer, _ chunk: UnsafeRawBufferPointer) -> Int32 {
    guard let exchange = exchanges[wsi], exchange.phase == .readingBody else { return 0 }
    if !exchange.bodyStarted {
      exchange.bodyStarted = true
      if isOwnRequestLine(chunk, exchange) { return refusePipelinedBody(wsi, exchange) }
    }
    if var decoder = exchange.chunkedBody {
      let progress = decoder.feed(chunk)
      exchange.chunkedBody = decoder
      switch progress {
      case .needsMore:
        return 0
      case .tooLarge:
        return refuse(wsi, exchange, Problem.payloadTooLarge(limit: options.maxBodyBytes))
      case .malformed(let problem):
        return refuse(
          wsi, exchange,
          Problem.response(
            status: 400, title: "Bad Request", detail: "The chunked request body is malformed: \(problem)."))
      case .complete:
        exchange.request.body = decoder.decoded
        exchange.chunkedBody = nil
        return finishBody(wsi)
      }
    }
    if exchange.request.body.count + chunk.count > options.maxBodyBytes {
      return refuse(wsi, exchange, Problem.payloadTooLarge(limit: options.maxBodyBytes))
    }
    exchange.request.body.append(contentsOf: chunk)
    return 0
  }

  func finishBody(_ wsi: OpaquePointer) -> Int32 {
    // A chunked body ends at its last chunk, not where lws thinks it does.
    guard let exchange = exchanges[wsi], exchange.phase == .readingBody, exchange.chunkedBody == nil
    else { return 0 }
    exchange.phase = .handling
    dispatch(exchange, wsi: wsi)
    return 0
  }

  /// lws 4.1 reads a body that arrived pipelined behind an earlier request from the wrong
  /// place: from the start of this request's own headers. Such a body begins with this
  /// request's method and target; no JSON or CSV body does.
  private func isOwnRequestLine(_ chunk: UnsafeRawBufferPointer, _ exchange: HTTPExchange) -> Bool {
    let requestLine = Array("\(exchange.request.method.rawValue) /".utf8)
    guard !chunk.isEmpty else { return false }
    if chunk.count >= requestLine.count { return chunk.starts(with: requestLine) }
    // A body shorter than the request line arrives whole, cut at its declared length.
    return chunk.count == exchange.expectedBodyLength && requestLine.starts(with: chunk)
  }

  /// The body cannot be read, and lws would loop on it: answer, and close the connection.
  private func refusePipelinedBody(_ wsi: OpaquePointer, _ exchange: HTTPExchange) -> Int32 {
    let method = exchange.request.method.rawValue
    let response = Problem.response(
      status: 501, title: "Not Implemented",
      detail: "This server cannot read a \(method) body pipelined behind another request on the "
        + "same connection; it was not processed. Send it again once the previous response has arrived.")
    exchange.phase = .closing
    finish(exchange)
    _ = answerAndClose(wsi, response, method: method, path: exchange.request.path)
    return -1
  }

  /// Answers at once when the responder holds the answer in memory; otherwise hands the
  /// request to the responder off this thread, and the answer comes back via the inbox.
  private func dispatch(_ exchange: HTTPExchange, wsi: OpaquePointer) {
    let request = exchange.request
    let responder = httpResponder
    if let response = responder.respondFromMemory(to: request) {
      start(response, on: wsi, exchange: exchange)
      return
    }
    // The handler may wait on a chain node; lws must not time the connection out meanwhile.
    lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_CONTENT, 120)
    let requestID = exchange.requestID
    handlers.start { [self] in
      let response = await responder.respond(to: request)
      submit(.respond(requestID: requestID, response: response))
    }
  }

  /// Answers without asking the responder and closes afterwards: the rest of the request
  /// (an unread body, say) must not be parsed as a next request. `keepAlive` when there is
  /// no rest.
  private func refuse(
    _ wsi: OpaquePointer, _ exchange: HTTPExchange, _ response: HTTPResponse, keepAlive: Bool = false
  ) -> Int32 {
    var response = response
    response.closeConnection = !keepAlive
    exchange.phase = .handling
    start(response, on: wsi, exchange: exchange)
    return 0
  }

  func deliver(_ response: HTTPResponse, to requestID: UInt64) {
    guard let wsi = exchangeByRequestID[requestID], let exchange = exchanges[wsi],
      exchange.requestID == requestID, exchange.phase == .handling
    else { return }  // the client went away meanwhile
    start(response, on: wsi, exchange: exchange)
  }

  private func start(_ response: HTTPResponse, on wsi: OpaquePointer, exchange: HTTPExchange) {
    if response.abortConnection {
      finish(exchange)
      exchange.phase = .closing
      lws_callback_on_writable(wsi)
      return
    }
    var response = response
    response.headers += answerHeaders(for: exchange.request, besides: response.headers)
    response.headers.append((RequestID.headerName, exchange.request.id))
    if draining || exchange.connectionSpent { response.closeConnection = true }
    let body = exchange.request.method == .head ? [] : response.body
    guard let head = ResponseHead.encode(response, bodyLength: response.body.count, wsi: wsi)
    else {
      lws_set_timeout(wsi, PENDING_TIMEOUT_HTTP_CONTENT, 1)  // headers did not fit: hang up
      return
    }
    exchange.outbound = head + body
    exchange.written = 0
    exchange.status = response.status
    exchange.route = response.route
    exchange.closeAfterResponse = response.closeConnection
    exchange.phase = .writing
    lws_callback_on_writable(wsi)
  }

  /// One lws_write per writable callback, at most `scratchCapacity` bytes.
  func writeResponse(_ wsi: OpaquePointer) -> Int32 {
    guard let exchange = exchanges[wsi] else { return 0 }
    switch exchange.phase {
    case .closing:
      return -1
    case .readingBody, .handling:
      return 0
    case .writing:
      break
    }
    let remaining = exchange.outbound.count - exchange.written
    let count = min(remaining, scratchCapacity)
    let chunk = exchange.outbound[exchange.written..<exchange.written + count]
    chunk.withUnsafeBufferPointer { bytes in
      if let base = bytes.baseAddress { payloadStart.update(from: base, count: count) }
    }
    let last = count == remaining
    let kind = last ? LWS_WRITE_HTTP_FINAL : LWS_WRITE_HTTP
    if lws_write(wsi, payloadStart, count, kind) < count { return -1 }
    exchange.written += count
    if !last {
      lws_callback_on_writable(wsi)
      return 0
    }
    logCompletion(exchange)
    finish(exchange)
    if exchange.closeAfterResponse {
      exchange.phase = .closing
      exchanges[wsi] = exchange
      lws_callback_on_writable(wsi)
      return 0
    }
    exchanges[wsi] = nil
    return lws_http_transaction_completed(wsi) != 0 ? -1 : 0
  }

  /// The response is out (or never will be): it no longer holds up a graceful shutdown.
  private func finish(_ exchange: HTTPExchange) {
    guard exchangeByRequestID.removeValue(forKey: exchange.requestID) != nil else { return }
    counters.withLock { $0.requestsInFlight -= 1 }
  }

  func forgetExchange(_ wsi: OpaquePointer) {
    guard let exchange = exchanges.removeValue(forKey: wsi) else { return }
    finish(exchange)
  }

  private func logCompletion(_ exchange: HTTPExchange) {
    let elapsed = ContinuousClock.now - exchange.started
    let milliseconds =
      Double(elapsed.components.attoseconds) / 1e15
      + Double(elapsed.components.seconds) * 1000
    logger.info(
      "\(exchange.request.method.rawValue) \(exchange.request.path) \(exchange.status)",
      metadata: [
        "duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
        "peer": "\(exchange.request.peer)",
        "request_id": "\(exchange.request.id)",
      ])
    options.requestObserver?.completed(
      method: exchange.request.method, route: exchange.route, status: exchange.status, duration: elapsed)
  }
}
