import PortfolioCore

/// What a request says about the page that sent it, from its headers.
struct RequestSource: Sendable {
  var method: HTTPMethod
  /// `Origin`, as sent.
  var origin: String?
  /// `Host`: with the scheme the server speaks, the server's own origin.
  var host: String?
  /// `Sec-Fetch-Site`, which browsers send with every request.
  var fetchSite: String?
  /// `X-Forwarded-Proto` from a reverse proxy that terminates TLS.
  var forwardedProto: String?
  /// `Access-Control-Request-Method`: present on a CORS preflight.
  var preflightMethod: String?
}

/// Which pages may act on the server from a browser. Reads are open (a browser keeps the answer
/// from a foreign page unless CORS allows it); a change (POST, PUT, PATCH, DELETE) or a
/// WebSocket is refused when the browser says it comes from another site's page, so a page
/// elsewhere cannot add or delete wallets or follow the stream (cross-site request forgery,
/// cross-site WebSocket hijacking). Clients that are not browsers send no `Origin` and pass.
struct CrossOriginPolicy: Sendable {
  /// Other sites' pages that may call the API: they get CORS headers and may change things.
  let allowedOrigins: Set<WebOrigin>
  /// `https` when the server speaks TLS itself.
  let scheme: String

  init(allowedOrigins: [WebOrigin], scheme: String) {
    self.allowedOrigins = Set(allowedOrigins)
    self.scheme = scheme
  }

  static let changingMethods: Set<HTTPMethod> = [.post, .put, .patch, .delete]
  static let allowedMethods = "GET, HEAD, POST, PUT, PATCH, DELETE"
  static let allowedHeaders = "Authorization, Content-Type, If-None-Match"
  /// Headers a listed origin's script may read beyond the safelisted ones.
  static let exposedHeaders = "Location, Retry-After"

  enum Verdict {
    case proceed
    /// Answered here without the responder: a preflight, or a refusal.
    case answer(HTTPResponse)
  }

  /// A preflight's answer, or the refusal of a change from another site's page.
  func check(_ source: RequestSource) -> Verdict {
    if source.method == .options, source.preflightMethod != nil, let origin = source.origin {
      return .answer(preflight(origin: origin, source))
    }
    guard Self.changingMethods.contains(source.method), let refusal = refusal(source) else {
      return .proceed
    }
    return .answer(refusal)
  }

  /// The 403 for a page of another site; nil for the server's own pages, listed origins and
  /// clients that are not browsers.
  func refusal(_ source: RequestSource, whatIsRefused: String = "change anything here") -> HTTPResponse? {
    guard let origin = source.origin else {
      // Browsers send Origin with every write and every WebSocket; Sec-Fetch-Site without it
      // means something in between removed it, and the page is still another site's.
      guard source.fetchSite?.lowercased() == "cross-site" else { return nil }
      return Problem.response(
        status: 403, title: "Forbidden",
        detail: "A page of another site (Sec-Fetch-Site: cross-site, no Origin) may not \(whatIsRefused).")
    }
    return isAllowed(origin, source) ? nil : foreign(origin, source, whatIsRefused: whatIsRefused)
  }

  /// CORS headers for an answer: `Vary: Origin` whenever answers differ by origin, and the
  /// origin itself for a listed one.
  func responseHeaders(origin: String?) -> [(name: String, value: String)] {
    guard !allowedOrigins.isEmpty else { return [] }
    var headers = [(name: "vary", value: "Origin")]
    if let origin, let parsed = WebOrigin(parsing: origin), allowedOrigins.contains(parsed) {
      headers.append(("access-control-allow-origin", origin))
      headers.append(("access-control-expose-headers", Self.exposedHeaders))
    }
    return headers
  }

  private func preflight(origin: String, _ source: RequestSource) -> HTTPResponse {
    guard isAllowed(origin, source) else {
      var refusal = foreign(origin, source, whatIsRefused: "call this API from a browser")
      refusal.headers.append(("vary", "Origin"))
      return refusal
    }
    return HTTPResponse(
      status: 204,
      headers: [
        ("access-control-allow-origin", origin),
        ("access-control-allow-methods", Self.allowedMethods),
        ("access-control-allow-headers", Self.allowedHeaders),
        ("access-control-max-age", "600"),
        ("vary", "Origin"),
      ])
  }

  /// The 403 naming the origin.
  private func foreign(_ origin: String, _ source: RequestSource, whatIsRefused: String) -> HTTPResponse {
    let shown = String(origin.prefix(200))
    let own = ownOrigins(source).first.map { " (\($0))" } ?? ""
    return Problem(
      status: 403, title: "Forbidden",
      detail: "Pages of \(shown) may not \(whatIsRefused): that origin is neither this server's "
        + "own\(own) nor listed in server.cors_allowed_origins.",
      extensions: ["origin": .string(shown)]
    ).response
  }

  private func isAllowed(_ origin: String, _ source: RequestSource) -> Bool {
    // `null` (a sandboxed or privacy-hiding page) and malformed values parse to nothing.
    guard let parsed = WebOrigin(parsing: origin) else { return false }
    return allowedOrigins.contains(parsed) || ownOrigins(source).contains(parsed)
  }

  /// The origin of the server's own pages, as the request's `Host` names it; also its https
  /// form when a reverse proxy says it received the request over TLS (a browser cannot add
  /// that header to another site's request without a preflight, which is refused).
  private func ownOrigins(_ source: RequestSource) -> [WebOrigin] {
    guard let host = source.host else { return [] }
    var origins = [WebOrigin(scheme: scheme, authority: host)]
    if source.forwardedProto?.lowercased() == "https", scheme != "https" {
      origins.append(WebOrigin(scheme: "https", authority: host))
    }
    return origins.compactMap { $0 }
  }
}
