import Foundation
import PortfolioCore
import WebServer

/// `GET /metrics` in the Prometheus text format. Open to clients on loopback (unless the
/// configuration says otherwise) and, from anywhere, to an admin access token: the figures
/// say how busy the server is and which chains fail, which is nobody else's business.
struct MetricsRoutes {
  /// Renders the current figures.
  let render: @Sendable () -> [UInt8]
  let loopbackWithoutToken: Bool

  static let path = "/metrics"
  static let contentType = "text/plain; version=0.0.4; charset=utf-8"

  var routes: [Route] {
    [Route(.get, Self.path, access: .open) { context in try answer(context) }]
  }

  private func answer(_ context: RouteContext) throws(APIError) -> HTTPResponse {
    if !(loopbackWithoutToken && Self.isDirectLoopback(context.request)) {
      guard let principal = context.principal, principal.tokenID != nil else {
        throw APIError(
          Problem(
            status: 401, title: "Unauthorized",
            detail:
              "/metrics needs an admin access token (Authorization: Bearer <token>) unless it is asked from loopback."
          ),
          headers: [("www-authenticate", #"Bearer realm="portfolio""#)])
      }
      guard principal.scope == .admin else {
        throw APIError.forbidden(
          "/metrics needs an admin token; this one's scope is \(principal.scope.rawValue).",
          needed: .admin, held: principal.scope)
      }
    }
    return HTTPResponse(status: 200, contentType: Self.contentType, body: render())
  }

  /// A client on this machine that is not a proxy forwarding someone else's request: a proxy
  /// on the same host makes every request look local, but says so in `X-Forwarded-For`.
  static func isDirectLoopback(_ request: HTTPRequest) -> Bool {
    guard request.headers["x-forwarded-for"] == nil, request.headers["forwarded"] == nil else {
      return false
    }
    let peer = request.peer
    return peer == "::1" || peer.hasPrefix("127.") || peer.hasPrefix("::ffff:127.")
  }
}
