import CWebSockets

/// Requests refused before routing: malformed request lines, oversize targets and header
/// fields, and what lws cannot parse as HTTP at all.
extension ServiceThreadState {
  /// A refusal for a request whose head lws parsed but which must not be served.
  func malformedRequest(_ wsi: OpaquePointer, path: String) -> HTTPResponse? {
    guard let target = RequestReader.target(wsi) else { return nil }
    let targetLimit = LibWebSocketsContext.maxTargetBytes
    if target.length >= targetLimit {
      return Problem(
        status: 414, title: "URI Too Long",
        detail: "The request target (path and query) must be shorter than \(targetLimit) bytes.",
        extensions: ["limit_bytes": .int(targetLimit)]
      ).response
    }
    let fieldLimit = LibWebSocketsContext.maxFieldBytes
    if let field = RequestReader.oversizeField(wsi, limit: fieldLimit) {
      return Problem(
        status: 431, title: "Request Header Fields Too Large",
        detail: "The \(field) header must be shorter than \(fieldLimit) bytes.",
        extensions: ["header": .string(field), "limit_bytes": .int(fieldLimit)]
      ).response
    }
    let shown = Self.printable(path)
    if !target.hasVersion {
      return Problem(
        status: 400, title: "Bad Request",
        detail: "The request line for \(shown) has no HTTP version; a line break in the path "
          + "(%0A or %0D) is not allowed.",
        extensions: ["path": .string(shown)]
      ).response
    }
    if target.hidesNUL || path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
      return Problem(
        status: 400, title: "Bad Request",
        detail: "The path \(shown) contains a NUL or another control character once decoded "
          + "(%00-%1F, %7F); remove it.",
        extensions: ["path": .string(shown)]
      ).response
    }
    return nil
  }

  /// lws hands over a connection it could not parse as HTTP (an unknown method), or one that
  /// asked to CONNECT, as raw bytes from the start of the request: answer, then close.
  func refuseRawRequest(_ wsi: OpaquePointer, _ received: UnsafeRawBufferPointer) -> Int32 {
    guard rawRefusals[wsi] == nil else { return 0 }  // answered already; the rest is ignored
    let method = Self.leadingToken(received)
    let implemented = "GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS"
    let problem: Problem =
      switch method {
      case "CONNECT":
        Problem(
          status: 501, title: "Not Implemented",
          detail: "CONNECT is not supported: this server is not a proxy. Use \(implemented).",
          extensions: ["method": .string("CONNECT")])
      case let method?:
        Problem(
          status: 501, title: "Not Implemented",
          detail: "\(method) is not a method this server implements; use \(implemented).",
          extensions: ["method": .string(method)])
      case nil:
        Problem(
          status: 400, title: "Bad Request",
          detail: "The request does not start with an HTTP method; use \(implemented).")
      }
    let requestID = RequestID.make(from: nil)
    var response = problem.response
    response.headers.append((RequestID.headerName, requestID))
    rawRefusals[wsi] = ClosingResponse.encode(response)
    logger.info(
      "\(method ?? "-") - \(problem.status)",
      metadata: ["peer": "\(RequestReader.peer(wsi))", "request_id": "\(requestID)"])
    options.requestObserver?.completed(method: nil, route: nil, status: problem.status, duration: .zero)
    lws_callback_on_writable(wsi)
    return 0
  }

  func writeRawRefusal(_ wsi: OpaquePointer) -> Int32 {
    guard let bytes = rawRefusals.removeValue(forKey: wsi) else { return 0 }
    let count = min(bytes.count, scratchCapacity)
    payloadStart.update(from: bytes, count: count)
    // LWS_WRITE_RAW is a macro for LWS_WRITE_HTTP, which Swift cannot import.
    _ = lws_write(wsi, payloadStart, count, LWS_WRITE_HTTP)
    return -1  // lws closes the connection
  }

  /// The method at the start of a request line, if it is a token (RFC 9110 §5.6.2).
  private static func leadingToken(_ bytes: UnsafeRawBufferPointer) -> String? {
    let token = bytes.prefix { $0 != UInt8(ascii: " ") }
    guard (1...32).contains(token.count), token.count < bytes.count,
      token.allSatisfy({ byte in
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
          || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
          || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
          || "!#$%&'*+-.^_`|~".utf8.contains(byte)
      })
    else { return nil }
    return String(decoding: token, as: UTF8.self)
  }

  /// A path as it can be shown in a message: control characters percent-encoded, cut short.
  private static func printable(_ path: String) -> String {
    var shown = ""
    for scalar in path.unicodeScalars.prefix(200) {
      if scalar.value < 0x20 || scalar.value == 0x7F {
        shown += "%" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
      } else {
        shown.unicodeScalars.append(scalar)
      }
    }
    return shown
  }
}
