import Foundation
public import PortfolioCore
public import WebServer

/// JSON bodies: keys sorted so responses are stable, dates as ISO-8601 UTC.
public enum JSONResponse {
  public static func make(
    _ value: some Encodable, status: Int = 200, headers: [(name: String, value: String)] = []
  ) throws -> HTTPResponse {
    HTTPResponse(
      status: status, contentType: "application/json", headers: headers,
      body: Array(try encoder.encode(value)))
  }

  /// A JSON body from a `JSONValue`, written directly.
  public static func json(
    _ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []
  ) -> HTTPResponse {
    HTTPResponse(status: status, contentType: "application/json", headers: headers, body: value.jsonBytes)
  }

  static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }
}
