import DevChain
import Foundation
import FuzzSupport
import LiveUpdates
import Logging
import PortfolioApp
import PortfolioConfig
import PortfolioCore
import Storage

// libFuzzer target: HTTP requests through the REST API.
//
// An input is a raw HTTP/1.1 request: `METHOD target HTTP/1.1`, header lines, a blank line and
// the body (line ends may be CRLF or LF). It becomes an `HTTPRequest` as the web server would
// hand it over (path and query decoded, header names in lower case) and goes through the real
// `APIResponder`, routes and all, of a real server: its SQLite database in a temporary folder,
// its chains (ethereum and solana) an in-process devchain, two wallets there from the start.
// A request the web server itself refuses (an unknown method, a body of a type the path does
// not take) is skipped. Every answer must be a valid status, and never 500: a request that
// makes the API fail is a bug, whatever the request.
@testable import API
@testable import WebServer

@main enum FuzzHTTP {
  static func main() { runLibFuzzer { start, count in fuzz(start, count) } }
}

/// Wallets the server holds before any request, with ids the seeds use.
let fixedWallets: [(id: String, chain: ChainName, address: String)] = [
  ("00000000-0000-4000-8000-000000000001", "ethereum", "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045"),
  ("00000000-0000-4000-8000-000000000002", "solana", "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM"),
]

/// The server and the API over it, started once for the whole run.
final class Fixture: Sendable {
  let server: PortfolioServer
  let api: APIResponder
  let devchain: DevChainServer
  private let running: Task<Void, any Error>

  init() throws {
    let folder = temporaryFolder("fuzz-http")
    let devchain = try DevChainServer()
    let repository = URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    var settings = [
      "server.port": "0",
      "server.static_dir": repository.appendingPathComponent("web-static").path,
      "database.url": folder.appendingPathComponent("portfolio.sqlite").path,
      "rate_limit.requests": "0",
      "prices.sources": "fixed",
      "prices.fixed": "ethereum:native=3012.45,solana:native=187.2",
      "log.level": "critical",
      "chains.ethereum.rpc_url": devchain.ethereumURL,
      "chains.solana.rpc_url": devchain.solanaURL,
      "tokens.list_file": repository.appendingPathComponent("config/tokens.yaml").path,
    ]
    for chain in ["polygon", "arbitrum", "optimism", "base", "bsc"] {
      settings["chains.\(chain).enabled"] = "false"
    }
    let config = try ConfigLoader.load(environment: [:], overrides: settings)
    var logger = Logger(label: "fuzz-http")
    logger.logLevel = .critical
    let server = try PortfolioServer(config: config, logger: logger, polls: false)
    self.server = server
    self.devchain = devchain
    running = Task { try await server.run() }
    api = APIResponder(
      database: server.database, balances: server.balances, live: server.live, frameLatency: FrameLatency(),
      authenticator: Authenticator(database: server.database, required: false), webhooks: server.webhooks,
      settings: .init(
        chains: server.config.chains.values.map(\.chain), version: PortfolioServer.version,
        rateLimitRequests: 0,
        rateLimitWindowSeconds: 60, subscribers: SubscriberCount()),
      logger: logger)
    try restoreWallets()
  }

  /// Puts back the fixed wallets a request removed, and drops the others once there are many,
  /// so every input meets nearly the same database.
  func restoreWallets() throws {
    let store = WalletStore(server.database)
    let live = server.live
    if try store.count() > 200 {
      let fixed = Set(fixedWallets.compactMap { UUID(uuidString: $0.id) })
      for wallet in try store.all() where !fixed.contains(wallet.id) {
        _ = try blocking { try await live.feed.removeWallet(id: wallet.id, owner: wallet.owner) }
      }
    }
    for fixed in fixedWallets {
      guard let id = UUID(uuidString: fixed.id), try store.wallet(id: id) == nil else { continue }
      let now = Date()
      let wallet = Wallet(
        id: id, chain: fixed.chain, address: fixed.address, label: "fixed", createdAt: now, updatedAt: now)
      _ = try blocking { try await live.feed.addWallet(wallet) }
    }
  }
}

let fixture: Fixture = {
  do { return try Fixture() } catch { preconditionFailure("the HTTP fixture failed: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  guard let request = RawRequest.parse(fuzzInput(start, count)) else { return 0 }
  let api = fixture.api
  // The web server answers these itself, before the API sees the request; a body counts as
  // declared (the server reads one only with a length or chunked).
  if !request.body.isEmpty, CrossOriginPolicy.changingMethods.contains(request.method),
    let accepted = api.acceptedBodyTypes(for: request),
    BodyMediaType.refusal(
      method: request.method, contentType: request.headers["content-type"], accepted: accepted)
      != nil
  {
    return 0
  }
  let response: HTTPResponse
  do {
    response = try blocking {
      if let answer = api.respondFromMemory(to: request) { return answer }
      return await api.respond(to: request)
    }
  } catch {
    preconditionFailure("respond threw: \(error)")
  }
  precondition((100...599).contains(response.status), "status \(response.status)")
  precondition(
    response.status != 500,
    "500 for \(request.method.rawValue) \(request.path) \(request.query): \(String(decoding: response.body.prefix(2000), as: UTF8.self))"
  )
  if response.status >= 400 {
    // Every refusal is problem+json whose status is the response's.
    let problem = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body))
    guard response.contentType == Problem.contentType, case .object(let fields)? = problem,
      fields["status"] == .integer(Int64(response.status)), fields["title"]?.stringValue != nil
    else {
      preconditionFailure(
        "\(response.status) for \(request.method.rawValue) \(request.path) is not problem+json: \(String(decoding: response.body.prefix(500), as: UTF8.self))"
      )
    }
  }
  do { try fixture.restoreWallets() } catch { preconditionFailure("restoring the wallets failed: \(error)") }
  return 0
}

/// A raw HTTP/1.1 request read leniently, into what libwebsockets would hand over.
enum RawRequest {
  static func parse(_ bytes: [UInt8]) -> HTTPRequest? {
    let (head, body) = split(bytes)
    var lines = String(decoding: head, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    guard !lines.isEmpty else { return nil }
    let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
    guard requestLine.count >= 2, let method = HTTPMethod(rawValue: String(requestLine[0])) else {
      return nil
    }
    let target = requestLine[1]
    let pathPart = target.prefix { $0 != "?" }
    let queryPart = target.dropFirst(pathPart.count + 1)
    let path = cString(pathPart.removingPercentEncoding ?? String(pathPart))
    guard path.hasPrefix("/") else { return nil }
    var query: [(name: String, value: String)] = []
    for argument in queryPart.split(separator: "&") {
      let decoded = cString(
        argument.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(argument))
      guard !decoded.isEmpty else { continue }
      let name = decoded.prefix { $0 != "=" }
      query.append((String(name), String(decoded.dropFirst(name.count + 1))))
    }
    var headers: [String: String] = [:]
    for line in lines {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
      let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      guard !name.isEmpty else { continue }
      headers[name] = cString(value)
    }
    return HTTPRequest(
      method: method, path: path, query: query, headers: headers, body: body, peer: "127.0.0.1")
  }

  /// The head and the body, split at the first empty line (CRLF CRLF or LF LF).
  private static func split(_ bytes: [UInt8]) -> (head: ArraySlice<UInt8>, body: [UInt8]) {
    var index = bytes.startIndex
    while index < bytes.endIndex {
      if bytes[index...].starts(with: [13, 10, 13, 10]) {
        return (bytes[..<index], Array(bytes[(index + 4)...]))
      }
      if bytes[index...].starts(with: [10, 10]) { return (bytes[..<index], Array(bytes[(index + 2)...])) }
      index += 1
    }
    return (bytes[...], [])
  }

  /// libwebsockets hands over C strings: a value ends at its first NUL.
  private static func cString(_ text: String) -> String {
    String(text.prefix { $0 != "\0" })
  }
}
