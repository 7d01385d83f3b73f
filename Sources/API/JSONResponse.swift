public import PortfolioCore
public import WebServer

/// JSON bodies, written directly from `JSONValue` with keys sorted so answers are stable.
public enum JSONResponse {
  public static func json(
    _ value: JSONValue, status: Int = 200, headers: [(name: String, value: String)] = []
  ) -> HTTPResponse {
    HTTPResponse(status: status, contentType: "application/json", headers: headers, body: value.jsonBytes)
  }
}
