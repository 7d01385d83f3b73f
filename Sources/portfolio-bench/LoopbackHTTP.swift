import CurlHTTP
import Foundation

/// Plain requests to the server under test, through the project's libcurl client.
enum LoopbackHTTP {
  static let client = HTTPClient()

  static func get(port: Int, path: String) async throws -> HTTPClientResponse {
    try await client.send(
      HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)", timeout: .seconds(30)))
  }

  /// The body parsed as a JSON object.
  static func json(port: Int, path: String) async throws -> [String: Any] {
    let response = try await get(port: port, path: path)
    guard response.status == 200,
      let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
    else { throw BenchError("GET \(path) answered \(response.status)") }
    return object
  }
}
