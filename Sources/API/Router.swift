public import WebServer

/// What a route handler gets: the request and the values of its path parameters.
public struct RouteContext: Sendable {
  public let request: HTTPRequest
  public let parameters: [String: String]
}

/// One method on one path pattern, e.g. `GET /api/v1/wallets/{id}`.
public struct Route: Sendable {
  public typealias Handler = @Sendable (RouteContext) async throws -> HTTPResponse

  let method: HTTPMethod
  let pattern: String
  let segments: [Segment]
  let handler: Handler

  enum Segment: Sendable, Equatable {
    case literal(String)
    case parameter(String)
  }

  public init(_ method: HTTPMethod, _ pattern: String, handler: @escaping Handler) {
    self.method = method
    self.pattern = pattern
    self.segments = pattern.split(separator: "/").map { part in
      part.hasPrefix("{") && part.hasSuffix("}")
        ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
    }
    self.handler = handler
  }

  func match(_ parts: [Substring]) -> [String: String]? {
    guard parts.count == segments.count else { return nil }
    var parameters: [String: String] = [:]
    for (segment, part) in zip(segments, parts) {
      switch segment {
      case .literal(let text) where text != part: return nil
      case .literal: continue
      case .parameter(let name): parameters[name] = String(part)
      }
    }
    return parameters
  }
}

/// The route table, built once before the server starts. Unknown paths get 404 and known
/// paths with the wrong method 405 with `Allow`, both as problem+json.
public struct Router: Sendable {
  private let routes: [Route]

  public init(_ routes: [Route]) {
    self.routes = routes
  }

  /// Every method and path pattern routed, in routing order: what the API document must cover.
  public var table: [RouteSignature] {
    routes.map { RouteSignature(method: $0.method.rawValue, path: $0.pattern) }
  }

  public func respond(to request: HTTPRequest) async throws -> HTTPResponse {
    let parts = request.path.split(separator: "/")
    let method = request.method == .head ? .get : request.method
    var allowed: [HTTPMethod] = []
    for route in routes {
      guard let parameters = route.match(parts) else { continue }
      if route.method == method {
        return try await route.handler(RouteContext(request: request, parameters: parameters))
      }
      allowed.append(route.method)
    }
    guard !allowed.isEmpty else {
      throw APIError.notFound("No resource at \(request.path).")
    }
    if allowed.contains(.get) { allowed.append(.head) }
    let allow = allowed.map(\.rawValue).joined(separator: ", ")
    if request.method == .options {
      return HTTPResponse(status: 204, headers: [("allow", allow)])
    }
    var response = Problem(
      status: 405, title: "Method Not Allowed",
      detail: "\(request.method.rawValue) is not allowed on \(request.path); use \(allow).",
      extensions: ["allowed_methods": .strings(allowed.map(\.rawValue))]
    ).response
    response.headers.append(("allow", allow))
    return response
  }
}

/// A route without its handler: `GET /api/v1/wallets/{id}`.
public struct RouteSignature: Sendable, Hashable, CustomStringConvertible {
  public let method: String
  public let path: String

  public init(method: String, path: String) {
    self.method = method
    self.path = path
  }

  public var description: String { "\(method) \(path)" }
}
