import Foundation
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/admin/backups` (admin): backups of the database into the configured folder, under
/// names the server chooses. A request made while another backup runs waits for it.
struct BackupRoutes {
  let backups: DatabaseBackups

  var routes: [Route] {
    [
      Route(.get, "/api/v1/admin/backups", access: .scope(.admin)) { _ in list() },
      Route(.post, "/api/v1/admin/backups", access: .scope(.admin)) { try await create($0) },
    ]
  }

  private func list() -> HTTPResponse {
    let entries = backups.directory.list().map { entry -> JSONValue in
      [
        "name": .string(entry.name), "bytes": .integer(entry.bytes),
        "created_at": .string(entry.createdAt.iso8601),
      ]
    }
    return JSONResponse.json(["backups": .array(entries)])
  }

  private func create(_ context: RouteContext) async throws -> HTTPResponse {
    // The server names the file: a body may be absent or an empty object, nothing more.
    if !context.request.body.isEmpty {
      let body = try JSONBody(context.request)
      if let field = body.keys.sorted().first {
        throw APIError.badRequest(
          "The field '\(field)' is not accepted: the server names backups and writes them to its "
            + "backup.directory; send no body.", field: field)
      }
    }
    let file: BackupFile
    do {
      file = try await backups.take()
    } catch {
      throw APIError.unavailable("The backup could not be written: \(error.description).")
    }
    return JSONResponse.json(
      [
        "file": .string(file.name), "bytes": .integer(file.bytes),
        "took_ms": .integer(Int64(file.milliseconds)),
        "created_at": .string(file.createdAt.iso8601),
      ], status: 201)
  }
}
