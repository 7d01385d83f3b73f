/// A complete response; the server frames it (status line, content-length) on its own thread.
public struct HTTPResponse: Sendable {
  public var status: Int
  public var contentType: String?
  /// Extra headers; names in lower case.
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]
  /// Close the connection after this response (e.g. when the request body was not read).
  public var closeConnection: Bool
  /// Close the connection without answering at all, as a crashed peer would; for simulators.
  public var abortConnection = false
  /// The route template that answered (`/api/v1/wallets/{id}`), for metrics; nil when no
  /// route matched.
  public var route: String?

  public init(
    status: Int, contentType: String? = nil, headers: [(name: String, value: String)] = [],
    body: [UInt8] = [], closeConnection: Bool = false
  ) {
    self.status = status
    self.contentType = contentType
    self.headers = headers
    self.body = body
    self.closeConnection = closeConnection
  }

  /// No response: the connection is closed as if the server had died.
  public static var aborted: HTTPResponse {
    var response = HTTPResponse(status: 0)
    response.abortConnection = true
    return response
  }
}
