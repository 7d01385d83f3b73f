import Foundation
public import PortfolioCore

/// A JSON-RPC error object as the node sent it.
public struct JSONRPCError: Error, Sendable, Equatable, CustomStringConvertible {
  public let code: Int
  public let message: String
  public let data: JSONValue?

  public init(code: Int, message: String, data: JSONValue? = nil) {
    self.code = code
    self.message = message
    self.data = data
  }

  public var description: String { "JSON-RPC error \(code): \(message)" }
}

/// One call in a request or batch.
public struct JSONRPCCall: Sendable {
  public let method: String
  public let params: [JSONValue]
  /// Writes the params array as JSON in place of `params`, with its exact size: large params
  /// (an aggregate3 chunk's hex) go straight into the request body, with no string or tree of
  /// their own held while the request is in flight.
  let paramsWriter: (byteCount: Int, write: @Sendable (inout [UInt8]) -> Void)?

  public init(_ method: String, _ params: [JSONValue] = []) {
    self.method = method
    self.params = params
    paramsWriter = nil
  }

  init(_ method: String, paramsByteCount: Int, writeParams: @escaping @Sendable (inout [UInt8]) -> Void) {
    self.method = method
    params = []
    paramsWriter = (paramsByteCount, writeParams)
  }
}

/// The wire format: encodes calls with ids and decodes responses, matching them by id.
enum JSONRPCCodec {
  struct ErrorObject: Decodable, Sendable {
    let code: Int
    let message: String
    let data: JSONValue?
  }

  struct Response<Result: Decodable & Sendable>: Decodable {
    let id: Int?
    let result: Result?
    let error: ErrorObject?

    enum CodingKeys: String, CodingKey { case id, result, error }

    init(from decoder: any Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      // Some nodes echo ids as strings.
      if let number = try? container.decodeIfPresent(Int.self, forKey: .id) {
        id = number
      } else {
        id = (try? container.decodeIfPresent(String.self, forKey: .id)).flatMap { $0.flatMap(Int.init) }
      }
      error = try container.decodeIfPresent(ErrorObject.self, forKey: .error)
      result = error == nil ? try container.decodeIfPresent(Result.self, forKey: .result) : nil
    }

    var outcome: Swift.Result<Result, JSONRPCError>? {
      if let error {
        return .failure(JSONRPCError(code: error.code, message: error.message, data: error.data))
      }
      return result.map { .success($0) }
    }
  }

  /// The request body: each call as `{"id","jsonrpc","method","params"}` (sorted keys, as
  /// `JSONValue` writes objects), in an array when `batch`; sized up front, so a body of
  /// large calls is allocated once rather than grown.
  static func encode(_ calls: [JSONRPCCall], firstID: Int, batch: Bool) -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(
      calls.reduce(2) { size, call in
        size + 64 + call.method.utf8.count + (call.paramsWriter?.byteCount ?? 16 * call.params.count)
      })
    if batch { output.append(UInt8(ascii: "[")) }
    for (offset, call) in calls.enumerated() {
      if offset > 0 { output.append(UInt8(ascii: ",")) }
      output.append(contentsOf: #"{"id":"#.utf8)
      output.append(contentsOf: String(firstID + offset).utf8)
      output.append(contentsOf: #","jsonrpc":"2.0","method":"#.utf8)
      JSONValue.string(call.method).write(to: &output)
      output.append(contentsOf: #","params":"#.utf8)
      if let writer = call.paramsWriter {
        writer.write(&output)
      } else {
        JSONValue.array(call.params).write(to: &output)
      }
      output.append(UInt8(ascii: "}"))
    }
    if batch { output.append(UInt8(ascii: "]")) }
    return output
  }

  /// Decodes a batch answer into results in call order; `nil` in `reason` means success.
  static func decodeBatch<R: Decodable & Sendable>(
    _ body: [UInt8], as type: R.Type, firstID: Int, count: Int
  ) throws(RPCDecodingFailure) -> [Swift.Result<R, JSONRPCError>] {
    let responses: [Response<R>]
    do {
      responses = try JSONDecoder().decode([Response<R>].self, from: Data(body))
    } catch {
      // A node may answer a whole batch with one error object (e.g. batch too large).
      if let single = try? JSONDecoder().decode(Response<R>.self, from: Data(body)),
        case .failure(let error)? = single.outcome
      {
        return Array(repeating: .failure(error), count: count)
      }
      throw RPCDecodingFailure(reason: "the batch response is not a JSON-RPC array: \(Self.snippet(body))")
    }
    var byID: [Int: Swift.Result<R, JSONRPCError>] = [:]
    for response in responses {
      guard let id = response.id, let outcome = response.outcome else { continue }
      byID[id] = outcome
    }
    return try (0..<count).map { offset throws(RPCDecodingFailure) in
      guard let outcome = byID[firstID + offset] else {
        throw RPCDecodingFailure(reason: "the batch response has no answer for id \(firstID + offset)")
      }
      return outcome
    }
  }

  static func decodeSingle<R: Decodable & Sendable>(_ body: [UInt8], as type: R.Type, id: Int)
    throws(RPCDecodingFailure) -> Swift.Result<R, JSONRPCError>
  {
    let response: Response<R>
    do {
      response = try JSONDecoder().decode(Response<R>.self, from: Data(body))
    } catch {
      throw RPCDecodingFailure(reason: "not a JSON-RPC response (\(error)): \(Self.snippet(body))")
    }
    guard let outcome = response.outcome else {
      throw RPCDecodingFailure(reason: "the response has neither result nor error: \(Self.snippet(body))")
    }
    if response.id != id, case .success = outcome {
      throw RPCDecodingFailure(
        reason: "the response id \(response.id.map(String.init) ?? "null") is not \(id)")
    }
    return outcome
  }

  static func snippet(_ body: [UInt8]) -> String {
    let text = String(decoding: body.prefix(160), as: UTF8.self)
    return body.count > 160 ? text + "…" : text
  }
}

/// A response that is not valid JSON-RPC.
struct RPCDecodingFailure: Error {
  let reason: String
}
