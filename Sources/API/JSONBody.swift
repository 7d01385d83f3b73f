import Foundation
import PortfolioCore
import WebServer

/// A request body read as a JSON object, with errors that name the field at fault.
struct JSONBody {
  private let object: [String: JSONValue]

  /// The server refuses bodies declared as another type than JSON before they get here
  /// (`APIResponder.acceptedBodyTypes`); should one arrive anyway it is 415, and a JSON body
  /// that does not parse is 400.
  init(_ request: HTTPRequest) throws(APIError) {
    guard !request.body.isEmpty else {
      throw .badRequest("The request needs a JSON object body.")
    }
    guard case .object(let object) = try Self.parse(request) else {
      throw .badRequest("The body must be a JSON object.")
    }
    self.object = object
  }

  /// A nested object of a body.
  init(object: [String: JSONValue]) {
    self.object = object
  }

  func value(_ field: String) -> JSONValue? { object[field] }

  /// The body as one JSON value, exact: integers stay integers and `true` never reads as 1.
  static func parse(_ request: HTTPRequest) throws(APIError) -> JSONValue {
    do {
      return try JSONDecoder().decode(JSONValue.self, from: Data(request.body))
    } catch {
      if let type = request.headers["content-type"]?.lowercased(), !type.contains("json") {
        throw .unsupportedMediaType("Send the body as application/json, not \(type).")
      }
      throw .badRequest("The body is not valid JSON.")
    }
  }

  var keys: Set<String> { Set(object.keys) }

  func has(_ field: String) -> Bool { object[field] != nil }

  /// A required string field.
  func string(_ field: String) throws(APIError) -> String {
    guard let value = object[field], value != .null else {
      throw .badRequest("The field '\(field)' is required.", field: field)
    }
    guard case .string(let text) = value else {
      throw .badRequest("The field '\(field)' must be a string.", field: field)
    }
    return text
  }

  /// An optional string field: absent or null gives nil.
  func optionalString(_ field: String) throws(APIError) -> String? {
    guard let value = object[field], value != .null else { return nil }
    guard case .string(let text) = value else {
      throw .badRequest("The field '\(field)' must be a string or null.", field: field)
    }
    return text
  }

  /// Fields other than these are refused, so a typo or a read-only field is not ignored.
  func allowOnly(_ fields: Set<String>) throws(APIError) {
    if let extra = keys.subtracting(fields).sorted().first {
      throw .badRequest(
        "The field '\(extra)' is not accepted here; accepted: \(fields.sorted().joined(separator: ", ")).",
        field: extra)
    }
  }
}
