import CurlHTTP
import DevChain
import Foundation
import PortfolioCore
import Testing

/// Plain HTTP to a devchain on loopback: the control API, CoinGecko GETs and raw `eth_call`s,
/// so tests see exactly the bytes a client would.
struct DevChainHTTPTestClient {
  let devchain: DevChainServer
  let http: HTTPClient

  struct Answer {
    let status: Int
    let headers: [String: String]
    let text: String
    var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }
  }

  func get(_ path: String, headers: [(name: String, value: String)] = []) async throws -> Answer {
    let response = try await http.send(HTTPClientRequest(url: devchain.baseURL + path, headers: headers))
    return Answer(
      status: response.status, headers: response.headers, text: String(decoding: response.body, as: UTF8.self)
    )
  }

  /// POSTs `body` (JSON text) to `/control/<action>`.
  @discardableResult
  func control(_ action: String, _ body: String) async throws -> Answer {
    let response = try await http.send(
      HTTPClientRequest(
        url: devchain.baseURL + "/control/" + action, method: "POST",
        headers: [("content-type", "application/json")], body: Array(body.utf8)))
    return Answer(
      status: response.status, headers: response.headers, text: String(decoding: response.body, as: UTF8.self)
    )
  }

  /// Sets a price through the control API and requires it to be accepted.
  func setPrice(_ body: String) async throws {
    let answer = try await control("price", body)
    try #require(answer.status == 200, "price \(body) answered \(answer.status) \(answer.text)")
  }

  /// One JSON-RPC call to /ethereum; the whole response object.
  func ethereum(_ method: String, _ params: String) async throws -> JSONValue {
    let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
    let response = try await http.send(
      HTTPClientRequest(
        url: devchain.ethereumURL, method: "POST", headers: [("content-type", "application/json")],
        body: Array(body.utf8)))
    try #require(response.status == 200)
    return try JSONDecoder().decode(JSONValue.self, from: Data(response.body))
  }

  /// `eth_call` at latest; the return data.
  func ethCall(to address: String, data: [UInt8]) async throws -> [UInt8] {
    let response = try await ethereum(
      "eth_call", #"[{"to":"\#(address)","data":"0x\#(Hex.encode(data))"},"latest"]"#)
    let result = try #require(response["result"]?.stringValue, "eth_call answered \(response)")
    return try #require(Hex.decode(result))
  }

  func stats() async throws -> JSONValue {
    let answer = try await get("/control/stats")
    return try #require(answer.json)
  }
}

/// 32-byte words of ABI data as hex, for comparing with values worked out by hand.
func abiWords(_ data: [UInt8]) -> [String] {
  stride(from: 0, to: data.count, by: 32).map { Hex.encode(data[$0..<min($0 + 32, data.count)]) }
}

/// A word holding `hex` (without 0x), left-padded with zeros.
func word(_ hex: String) -> String {
  String(repeating: "0", count: 64 - hex.count) + hex
}
