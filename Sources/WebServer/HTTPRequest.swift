/// HTTP methods the server routes; anything else is answered 405 or 501 by the router.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
  case get = "GET"
  case head = "HEAD"
  case post = "POST"
  case put = "PUT"
  case patch = "PATCH"
  case delete = "DELETE"
  case options = "OPTIONS"
}

/// A complete request, copied off the libwebsockets thread so handlers can run anywhere.
public struct HTTPRequest: Sendable {
  public var method: HTTPMethod
  /// The path without the query string, already percent-decoded by libwebsockets.
  public var path: String
  /// Query arguments in order, decoded; a name may repeat.
  public var query: [(name: String, value: String)]
  /// Header names are lower case.
  public var headers: [String: String]
  public var body: [UInt8]
  /// The peer's numeric address, for logs and rate limits.
  public var peer: String
  /// Names the request in every log line about it and in its `X-Request-Id` answer header.
  public var id: String

  public init(
    method: HTTPMethod, path: String, query: [(name: String, value: String)] = [],
    headers: [String: String] = [:], body: [UInt8] = [], peer: String = "", id: String = ""
  ) {
    self.id = id
    self.method = method
    self.path = path
    self.query = query
    self.headers = headers
    self.body = body
    self.peer = peer
  }

  /// The first value of a query argument.
  public func queryValue(_ name: String) -> String? {
    query.first { $0.name == name }?.value
  }
}
