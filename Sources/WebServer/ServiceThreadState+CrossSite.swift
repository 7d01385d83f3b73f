import CWebSockets

/// Checks made on a request's headers before the responder sees it (cross-site writes and
/// WebSockets, CORS preflights, body types), and the headers added to every answer.
/// Service thread only.
extension ServiceThreadState {
  /// A preflight's answer, or the refusal of a change from another site's page.
  func crossSiteAnswer(_ wsi: OpaquePointer, _ request: HTTPRequest) -> HTTPResponse? {
    guard request.method == .options || CrossOriginPolicy.changingMethods.contains(request.method) else {
      return nil
    }
    let source = source(
      wsi, method: request.method, origin: request.headers["origin"], host: request.headers["host"])
    switch crossOrigin.check(source) {
    case .proceed: return nil
    case .answer(let response): return response
    }
  }

  /// A WebSocket opened from another site's page would carry the user's credentials and read
  /// the stream for that site (cross-site WebSocket hijacking): refused before the upgrade.
  func upgradeRefusal(_ wsi: OpaquePointer) -> HTTPResponse? {
    let source = source(
      wsi, method: .get, origin: RequestReader.header(wsi, WSI_TOKEN_ORIGIN),
      host: RequestReader.header(wsi, WSI_TOKEN_HOST))
    return crossOrigin.refusal(source, whatIsRefused: "open the stream")
  }

  /// 415 for a body of a type the path does not take, before the body is read.
  func bodyTypeRefusal(_ request: HTTPRequest, hasBody: Bool) -> HTTPResponse? {
    guard hasBody, CrossOriginPolicy.changingMethods.contains(request.method),
      let accepted = httpResponder.acceptedBodyTypes(for: request)
    else { return nil }
    return BodyMediaType.refusal(
      method: request.method, contentType: request.headers["content-type"], accepted: accepted)
  }

  /// Added to every answer written through lws' header helpers (which add
  /// `SecurityHeaders.common`), unless the answer sets them itself (a preflight does).
  func answerHeaders(for request: HTTPRequest, besides present: [(name: String, value: String)])
    -> [(name: String, value: String)]
  {
    let headers =
      [(name: SecurityHeaders.policyName, value: SecurityHeaders.apiPolicy)]
      + crossOrigin.responseHeaders(origin: request.headers["origin"])
    return headers.filter { header in !present.contains { $0.name == header.name } }
  }

  /// `LWS_CALLBACK_ADD_HEADERS` for a file of lws' mount: the dashboard's content policy.
  /// lws asks the same for a WebSocket upgrade's answer, which gets nothing.
  func addFileHeaders(_ wsi: OpaquePointer, _ input: UnsafeMutableRawPointer?) -> Int32 {
    guard let input, lws_hdr_total_length(wsi, WSI_TOKEN_UPGRADE) == 0 else { return 0 }
    let args = input.assumingMemoryBound(to: lws_process_html_args.self)
    guard let text = args.pointee.p else { return 0 }
    let start = UnsafeMutableRawPointer(text).assumingMemoryBound(to: UInt8.self)
    var cursor: UnsafeMutablePointer<UInt8>? = start
    let value = SecurityHeaders.dashboardPolicy
    let added = lws_add_http_header_by_name(
      wsi, SecurityHeaders.policyName + ":", value, Int32(value.utf8.count), &cursor,
      start + Int(args.pointee.max_len))
    guard added == 0, let cursor else { return 1 }  // no room: lws drops the connection
    args.pointee.max_len -= Int32(cursor - start)
    args.pointee.p = UnsafeMutableRawPointer(cursor).assumingMemoryBound(to: CChar.self)
    return 0
  }

  private func source(_ wsi: OpaquePointer, method: HTTPMethod, origin: String?, host: String?)
    -> RequestSource
  {
    RequestSource(
      method: method, origin: origin, host: host,
      fetchSite: RequestReader.customHeader(wsi, "sec-fetch-site"),
      forwardedProto: RequestReader.customHeader(wsi, "x-forwarded-proto"),
      preflightMethod: method == .options
        ? RequestReader.customHeader(wsi, "access-control-request-method") : nil)
  }
}
