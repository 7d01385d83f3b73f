import Foundation
import LiveUpdates
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/users` (admin): the people who share this server.
struct UserRoutes {
  let users: UserStore
  let live: LiveService
  let authenticator: Authenticator

  var routes: [Route] {
    [
      Route(.get, "/api/v1/users", access: .scope(.admin)) { _ in try list() },
      Route(.post, "/api/v1/users", access: .scope(.admin)) { try create($0) },
      Route(.get, "/api/v1/users/{name}", access: .scope(.admin)) { try show($0) },
      Route(.delete, "/api/v1/users/{name}", access: .scope(.admin)) { try await delete($0) },
    ]
  }

  private func list() throws -> HTTPResponse {
    let counts = try users.counts()
    return JSONResponse.json(["users": .array(try users.all().map { Self.json($0, counts: counts[$0.id]) })])
  }

  private func create(_ context: RouteContext) throws -> HTTPResponse {
    let body = try JSONBody(context.request)
    try body.allowOnly(["name"])
    let name = try body.string("name")
    do {
      let user = try users.create(name: name)
      return JSONResponse.json(
        Self.json(user, counts: (0, 0)), status: 201,
        headers: [("location", "/api/v1/users/\(user.name)")])
    } catch let invalid as InvalidUserName {
      throw APIError.badRequest("\(invalid.description).", field: "name")
    } catch let exists as UserExists {
      throw APIError.conflict(
        "A user named \(exists.name) exists already.", extensions: ["existing_name": .string(exists.name)])
    }
  }

  private func show(_ context: RouteContext) throws -> HTTPResponse {
    let user = try Self.user(context, in: users)
    return JSONResponse.json(Self.json(user, counts: try users.counts()[user.id]))
  }

  private func delete(_ context: RouteContext) async throws -> HTTPResponse {
    let user = try Self.user(context, in: users)
    if user.id == (try context.owner) {
      throw APIError.conflict(
        "You cannot remove your own user; ask another admin, or use portfolio-server user delete.",
        extensions: ["name": .string(user.name)])
    }
    do {
      guard try await live.feed.removeUser(user.id) else { throw Self.unknownUser(context) }
    } catch is FeedClosed {
      throw APIError.unavailable("The server is shutting down; retry shortly.")
    }
    authenticator.forget()
    return HTTPResponse(status: 204)
  }

  static func user(_ context: RouteContext, in users: UserStore) throws -> User {
    guard let name = context.parameters["name"], let user = try users.user(named: name) else {
      throw unknownUser(context)
    }
    return user
  }

  static func unknownUser(_ context: RouteContext) -> APIError {
    .notFound("No user named '\(context.parameters["name"] ?? "")'.")
  }

  static func json(_ user: User, counts: (wallets: Int, tokens: Int)?) -> JSONValue {
    [
      "id": .integer(user.id.rawValue), "name": .string(user.name),
      "created_at": .string(user.createdAt.iso8601),
      "wallets": .integer(Int64(counts?.wallets ?? 0)), "active_tokens": .integer(Int64(counts?.tokens ?? 0)),
    ]
  }
}
