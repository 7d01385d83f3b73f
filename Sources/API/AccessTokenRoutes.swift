import Foundation
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/access-tokens` (admin): issuing, listing and revoking access tokens; and
/// `/api/v1/me`, which any token may ask who it acts for.
struct AccessTokenRoutes {
  let tokens: AccessTokenStore
  let users: UserStore
  let authenticator: Authenticator
  let now: @Sendable () -> Date

  var routes: [Route] {
    [
      Route(.get, "/api/v1/access-tokens", access: .scope(.admin)) { try list($0) },
      Route(.post, "/api/v1/access-tokens", access: .scope(.admin)) { try issue($0) },
      Route(.get, "/api/v1/access-tokens/{id}", access: .scope(.admin)) {
        JSONResponse.json(Self.json(try find($0), at: now()))
      },
      Route(.delete, "/api/v1/access-tokens/{id}", access: .scope(.admin)) { try revoke($0) },
      Route(.get, "/api/v1/me") { try me($0) },
    ]
  }

  private func list(_ context: RouteContext) throws -> HTTPResponse {
    var user: UserID?
    if let name = context.request.queryValue("user") {
      guard let found = try users.user(named: name) else {
        throw APIError.badRequest("No user named '\(name)'.", field: "user")
      }
      user = found.id
    }
    let time = now()
    return JSONResponse.json([
      "access_tokens": .array(try tokens.list(user: user).map { Self.json($0, at: time) })
    ])
  }

  private func issue(_ context: RouteContext) throws -> HTTPResponse {
    let body = try JSONBody(context.request)
    try body.allowOnly(["user", "scope", "name", "expires_in"])
    let user: User
    if let name = try body.optionalString("user") {
      guard let found = try users.user(named: name) else {
        throw APIError.badRequest("No user named '\(name)'.", field: "user")
      }
      user = found
    } else {
      guard let own = try users.user(id: try context.owner) else {
        throw APIError.unauthorized(.refused(.unknown))
      }
      user = own
    }
    let scopeText = try body.string("scope")
    guard let scope = AccessScope(rawValue: scopeText) else {
      throw APIError.badRequest("The field 'scope' must be read, write or admin.", field: "scope")
    }
    let label = try body.optionalString("name")
    if let label,
      label.count > 100 || label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    {
      throw APIError.badRequest(
        "The field 'name' must be at most 100 characters, none of them control characters.", field: "name")
    }
    var expiresAt: Date?
    if let lifetime = try body.optionalString("expires_in") {
      guard let seconds = TokenLifetime.seconds(lifetime) else {
        throw APIError.badRequest(
          "The field 'expires_in' must be \(TokenLifetime.explanation).", field: "expires_in")
      }
      expiresAt = now().addingTimeInterval(Double(seconds))
    }
    let issued = try tokens.issue(user: user.id, scope: scope, name: label, expiresAt: expiresAt, at: now())
    var object = Self.fields(issued.token, at: now())
    object["token"] = .string(issued.secret)
    return JSONResponse.json(
      .object(object), status: 201, headers: [("location", "/api/v1/access-tokens/\(issued.token.id)")])
  }

  private func revoke(_ context: RouteContext) throws -> HTTPResponse {
    let token = try find(context)
    _ = try tokens.revoke(id: token.id, at: now())
    authenticator.forget()
    return HTTPResponse(status: 204)
  }

  private func me(_ context: RouteContext) throws -> HTTPResponse {
    guard let principal = context.principal else { throw APIError.unauthorized(.missing) }
    var token: JSONValue = .null
    if let id = principal.tokenID, let found = try tokens.token(id: id) {
      token = Self.json(found, at: now())
    }
    return JSONResponse.json([
      "user": .string(principal.userName), "user_id": .integer(principal.user.rawValue),
      "scope": .string(principal.scope.rawValue), "token": token,
      "auth_required": .bool(authenticator.required),
    ])
  }

  private func find(_ context: RouteContext) throws -> AccessToken {
    guard let text = context.parameters["id"], let id = Int64(text), let token = try tokens.token(id: id)
    else {
      throw APIError.notFound("No access token with id '\(context.parameters["id"] ?? "")'.")
    }
    return token
  }

  static func json(_ token: AccessToken, at time: Date) -> JSONValue { .object(fields(token, at: time)) }

  static func fields(_ token: AccessToken, at time: Date) -> [String: JSONValue] {
    func date(_ value: Date?) -> JSONValue { value.map { .string($0.iso8601) } ?? .null }
    return [
      "id": .integer(token.id), "user": .string(token.userName),
      "name": token.name.map(JSONValue.string) ?? .null,
      "scope": .string(token.scope.rawValue), "prefix": .string(token.prefix),
      "created_at": .string(token.createdAt.iso8601), "expires_at": date(token.expiresAt),
      "last_used_at": date(token.lastUsedAt), "revoked_at": date(token.revokedAt),
      "active": .bool(token.isActive(at: time)),
    ]
  }
}
