import Foundation
public import PortfolioCore
public import Storage
public import WebServer

/// What a route handler gets: the request, the values of its path parameters, and who it acts
/// for (nil on an open route called without a token).
public struct RouteContext: Sendable {
  public let request: HTTPRequest
  public let parameters: [String: String]
  public let principal: Principal?

  /// The `{id}` of the path as a UUID. A malformed id names nothing, so it gets `unknown`,
  /// the same answer as an id that names nothing.
  func uuid(orElse unknown: APIError) throws(APIError) -> UUID {
    guard let text = parameters["id"], let id = UUID(uuidString: text) else { throw unknown }
    return id
  }

  /// The user the request acts for; only open routes can lack one.
  var owner: UserID {
    get throws(APIError) {
      guard let principal else { throw APIError.unauthorized(.missing) }
      return principal.user
    }
  }
}

/// Who may call a route.
public enum RouteAccess: Sendable, Equatable {
  /// Anyone, with or without a token: probes and the API's description.
  case open
  /// A token of at least this scope (or, where tokens are not asked for, anyone).
  case scope(AccessScope)
}

/// One method on one path pattern, e.g. `GET /api/v1/wallets/{id}`.
public struct Route: Sendable {
  public typealias Handler = @Sendable (RouteContext) async throws -> HTTPResponse

  let method: HTTPMethod
  let pattern: String
  let segments: [Segment]
  let access: RouteAccess
  let handler: Handler

  enum Segment: Sendable, Equatable {
    case literal(String)
    case parameter(String)
  }

  /// Reading needs a `read` token and anything else a `write` one, unless `access` says more.
  public init(_ method: HTTPMethod, _ pattern: String, access: RouteAccess? = nil, handler: @escaping Handler)
  {
    self.method = method
    self.pattern = pattern
    self.access = access ?? .scope(method == .get || method == .head ? .read : .write)
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

  /// Routes the request; `authorize` answers who may call the route found, or throws.
  public func respond(
    to request: HTTPRequest, authorize: (RouteAccess) throws -> Principal?
  ) async throws -> HTTPResponse {
    let parts = request.path.split(separator: "/")
    let method = request.method == .head ? .get : request.method
    var allowed: [HTTPMethod] = []
    for route in routes {
      guard let parameters = route.match(parts) else { continue }
      if route.method == method {
        do {
          let principal = try authorize(route.access)
          var response = try await route.handler(
            RouteContext(request: request, parameters: parameters, principal: principal))
          response.route = route.pattern
          return response
        } catch let error as APIError {
          var response = error.response
          response.route = route.pattern
          return response
        } catch {
          throw RouteFailure(route: route.pattern, underlying: error)
        }
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

/// An error a route's handler threw that is not an `APIError`: a fault, answered 500.
struct RouteFailure: Error {
  let route: String
  let underlying: any Error
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
