public import Foundation
import PortfolioCore

/// RFC 9457 problem details: every error this server sends has this shape.
public struct Problem: Sendable, Equatable {
  public var type: String
  public var title: String
  public var status: Int
  public var detail: String
  /// Extra members, e.g. the offending field or the supported values.
  public var extensions: [String: ProblemValue]

  public init(
    status: Int, title: String, detail: String, type: String = "about:blank",
    extensions: [String: ProblemValue] = [:]
  ) {
    self.type = type
    self.title = title
    self.status = status
    self.detail = detail
    self.extensions = extensions
  }

  public static let contentType = "application/problem+json"

  public var response: HTTPResponse {
    HTTPResponse(status: status, contentType: Self.contentType, body: Array(jsonData))
  }

  public var jsonData: Data { Data(jsonValue.jsonBytes) }

  var jsonValue: JSONValue {
    var object: [String: JSONValue] = [
      "type": .string(type), "title": .string(title), "status": .integer(Int64(status)),
      "detail": .string(detail),
    ]
    for (key, value) in extensions { object[key] = value.jsonValue }
    return .object(object)
  }

  static func response(status: Int, title: String, detail: String) -> HTTPResponse {
    Problem(status: status, title: title, detail: detail).response
  }

  static func payloadTooLarge(limit: Int) -> HTTPResponse {
    Problem(
      status: 413, title: "Payload Too Large",
      detail: "The request body is larger than the limit of \(limit) bytes.",
      extensions: ["limit_bytes": .int(limit)]
    ).response
  }
}

/// A JSON value inside a problem's extension members.
public enum ProblemValue: Sendable, Equatable {
  case string(String)
  case int(Int)
  case strings([String])

  var jsonValue: JSONValue {
    switch self {
    case .string(let value): .string(value)
    case .int(let value): .integer(Int64(value))
    case .strings(let values): .array(values.map(JSONValue.string))
    }
  }
}
