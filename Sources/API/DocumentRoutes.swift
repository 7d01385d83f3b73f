import APIDocument
import WebServer

/// `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of this API, encoded once.
struct DocumentRoutes {
  private let document: [UInt8]?

  init(version: String) {
    document = try? APIDocument.json(version: version)
  }

  var routes: [Route] {
    [Route(.get, APIDocument.path, access: .open) { _ in try answer() }]
  }

  private func answer() throws -> HTTPResponse {
    // Encoding a well-formed document does not fail; should it, the request gets a 500.
    guard let document else { throw DocumentUnavailable() }
    return HTTPResponse(status: 200, contentType: "application/json", body: document)
  }

  struct DocumentUnavailable: Error {}
}
