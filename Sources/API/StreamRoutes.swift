import WebServer

/// `GET /api/v1/stream` without a WebSocket upgrade: upgrades are taken by the web server
/// before routing, so a request that reaches the router here is plain HTTP and gets 426.
enum StreamRoutes {
  static let path = "/api/v1/stream"

  static var routes: [Route] {
    [
      Route(.get, path, access: .open) { _ in
        APIError(
          Problem(
            status: 426, title: "Upgrade Required",
            detail:
              "\(path) is a WebSocket: send the request with Connection: Upgrade and Upgrade: websocket."),
          headers: [("upgrade", "websocket")]
        ).response
      }
    ]
  }
}
