import PortfolioCore
public import WebServer

/// A failure a handler reports to the client; it becomes an RFC 9457 problem response.
public struct APIError: Error, Sendable {
  public let problem: Problem
  public var headers: [(name: String, value: String)] = []

  public init(_ problem: Problem, headers: [(name: String, value: String)] = []) {
    self.problem = problem
    self.headers = headers
  }

  public static func badRequest(
    _ detail: String, field: String? = nil, extensions: [String: ProblemValue] = [:]
  ) -> APIError {
    var extensions = extensions
    if let field { extensions["field"] = .string(field) }
    return APIError(
      Problem(status: 400, title: "Bad Request", detail: detail, extensions: extensions))
  }

  public static func notFound(_ detail: String) -> APIError {
    APIError(Problem(status: 404, title: "Not Found", detail: detail))
  }

  public static func conflict(_ detail: String, extensions: [String: ProblemValue]) -> APIError {
    APIError(Problem(status: 409, title: "Conflict", detail: detail, extensions: extensions))
  }

  public static func unsupportedMediaType(_ detail: String) -> APIError {
    APIError(Problem(status: 415, title: "Unsupported Media Type", detail: detail))
  }

  public static func unavailable(_ detail: String) -> APIError {
    APIError(Problem(status: 503, title: "Service Unavailable", detail: detail))
  }

  /// 401 with the `WWW-Authenticate` challenge of RFC 6750.
  static func unauthorized(_ failure: AuthFailure) -> APIError {
    let detail: String
    var challenge = #"Bearer realm="portfolio""#
    switch failure {
    case .missing:
      detail = "This server needs an access token: send Authorization: Bearer <token>."
    case .notBearer:
      detail = "The Authorization header must be Bearer <token>."
      challenge += #", error="invalid_request""#
    case .refused(let refusal):
      detail = "The access token was refused: \(refusal)."
      challenge += #", error="invalid_token", error_description="\#(refusal)""#
    case .noUsers:
      detail = "This server has no users; make one with portfolio-server user create NAME."
    }
    return APIError(
      Problem(status: 401, title: "Unauthorized", detail: detail), headers: [("www-authenticate", challenge)])
  }

  /// 403 for a token whose scope does not cover the request.
  static func forbidden(_ detail: String, needed: AccessScope, held: AccessScope) -> APIError {
    APIError(
      Problem(
        status: 403, title: "Forbidden", detail: detail,
        extensions: ["required_scope": .string(needed.rawValue), "token_scope": .string(held.rawValue)]))
  }

  /// A chain this server does not track, with the ones it does.
  static func unknownChain(_ name: ChainName, supported: [ChainName]) -> APIError {
    .badRequest(
      "Unknown chain '\(name)'; supported chains: \(supported.map(\.rawValue).joined(separator: ", ")).",
      field: "chain", extensions: ["supported_chains": .strings(supported.map(\.rawValue))])
  }

  public var response: HTTPResponse {
    var response = problem.response
    response.headers.append(contentsOf: headers)
    return response
  }
}
