import PortfolioCore

/// A JSON-RPC error devchain answers with.
struct RPCFailure: Error, Sendable {
  let code: Int
  let message: String

  static func invalidParams(_ message: String) -> RPCFailure { RPCFailure(code: -32602, message: message) }
  static func methodNotFound(_ method: String) -> RPCFailure {
    RPCFailure(code: -32601, message: "the method \(method) does not exist/is not available")
  }

  var json: JSONValue { ["code": .integer(Int64(code)), "message": .string(message)] }
}

extension [JSONValue] {
  func string(at index: Int, _ name: String) throws(RPCFailure) -> String {
    guard index < count, case .string(let value) = self[index] else {
      throw .invalidParams("parameter \(index + 1) (\(name)) must be a string")
    }
    return value
  }

  func object(at index: Int) -> [String: JSONValue] {
    guard index < count, case .object(let value) = self[index] else { return [:] }
    return value
  }
}
