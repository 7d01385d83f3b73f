import CurlHTTP
import Foundation
import Logging
import Testing
import WebServer

/// A real libwebsockets server on loopback whose answers the tests choose by path.
struct EchoResponder: HTTPResponder {
  func respond(to request: HTTPRequest) async -> HTTPResponse {
    switch request.path {
    case "/echo":
      let header = request.headers["content-type"] ?? "none"
      return HTTPResponse(
        status: 200, contentType: "application/octet-stream", headers: [("x-seen-type", header)],
        body: request.body)
    case "/slow":
      // Far longer than any bound a test sets, so a loaded machine cannot blur the two.
      try? await Task.sleep(for: .seconds(30))
      return HTTPResponse(status: 200, body: Array("late".utf8))
    case "/big":
      return HTTPResponse(status: 200, body: [UInt8](repeating: 0x61, count: 3 << 20))
    case "/busy":
      return HTTPResponse(status: 429, headers: [("retry-after", "7")], body: Array("slow down".utf8))
    default:
      return HTTPResponse(status: 404)
    }
  }
}

struct NoWebSockets: WebSocketResponder {
  func open(_ connection: WebSocketConnection) -> any WebSocketHandler { IgnoreEvents() }
}

struct IgnoreEvents: WebSocketHandler {
  func handle(_ event: WebSocketEvent) async {}
}

@Suite struct HTTPClientTests {
  static func withServer(_ body: (String) async throws -> Void) async throws {
    var logger = Logger(label: "test")
    logger.logLevel = .error
    let server = try WebServer(
      options: WebServerOptions(port: 0, staticDirectory: nil, maxBodyBytes: 8 << 20),
      http: EchoResponder(), webSocket: NoWebSockets(), logger: logger)
    do {
      try await body("http://127.0.0.1:\(server.port)")
    } catch {
      await server.shutdown(grace: .milliseconds(100))
      throw error
    }
    await server.shutdown(grace: .milliseconds(100))
  }

  @Test func postsABodyAndReadsTheResponseAndItsHeaders() async throws {
    try await Self.withServer { base in
      let client = HTTPClient()
      defer { client.shutdown() }
      let payload = Array(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#.utf8)
      let response = try await client.send(
        HTTPClientRequest(
          url: base + "/echo", method: "POST", headers: [("Content-Type", "application/json")], body: payload)
      )
      #expect(response.status == 200)
      #expect(response.body == payload)
      #expect(response.headers["x-seen-type"] == "application/json")
      #expect(response.headers["content-length"] == String(payload.count))
    }
  }

  @Test func statusCodesAreResponsesNotErrors() async throws {
    try await Self.withServer { base in
      let client = HTTPClient()
      defer { client.shutdown() }
      let busy = try await client.send(HTTPClientRequest(url: base + "/busy"))
      #expect(busy.status == 429)
      #expect(busy.headers["retry-after"] == "7")
      #expect(try await client.send(HTTPClientRequest(url: base + "/nothing")).status == 404)
    }
  }

  @Test func manyConcurrentRequestsEachGetTheirOwnAnswer() async throws {
    try await Self.withServer { base in
      let client = HTTPClient()
      defer { client.shutdown() }
      try await withThrowingTaskGroup(of: Bool.self) { group in
        for index in 0..<200 {
          group.addTask {
            let body = Array("request \(index)".utf8)
            let response = try await client.send(
              HTTPClientRequest(url: base + "/echo", method: "POST", body: body))
            return response.body == body
          }
        }
        var matched = 0
        for try await ok in group where ok { matched += 1 }
        #expect(matched == 200)
      }
    }
  }

  @Test func aTimeoutIsReportedAsSuch() async throws {
    try await Self.withServer { base in
      let client = HTTPClient()
      defer { client.shutdown() }
      await #expect {
        try await client.send(HTTPClientRequest(url: base + "/slow", timeout: .milliseconds(200)))
      } throws: { error in
        (error as? HTTPClientError)?.kind == .timeout
      }
    }
  }

  @Test func anOversizedResponseIsCutOff() async throws {
    try await Self.withServer { base in
      var options = HTTPClientOptions()
      options.maxResponseBytes = 1 << 20
      let client = HTTPClient(options: options)
      defer { client.shutdown() }
      await #expect {
        try await client.send(HTTPClientRequest(url: base + "/big"))
      } throws: { error in
        (error as? HTTPClientError)?.kind == .responseTooLarge
      }
    }
  }

  @Test func aRefusedConnectionIsAConnectError() async throws {
    let client = HTTPClient()
    defer { client.shutdown() }
    // Port 1 on loopback: nothing listens there.
    await #expect {
      try await client.send(HTTPClientRequest(url: "http://127.0.0.1:1/"))
    } throws: { error in
      let failure = error as? HTTPClientError
      return failure?.kind == .connect && failure?.code == 7 && failure?.url == "http://127.0.0.1:1/"
    }
  }

  @Test func otherSchemesAreRefused() async throws {
    let client = HTTPClient()
    defer { client.shutdown() }
    await #expect(throws: HTTPClientError.self) {
      try await client.send(HTTPClientRequest(url: "file:///etc/passwd"))
    }
  }

  @Test func cancellingTheTaskEndsTheRequest() async throws {
    try await Self.withServer { base in
      let client = HTTPClient()
      defer { client.shutdown() }
      let task = Task { try await client.send(HTTPClientRequest(url: base + "/slow")) }
      try await Task.sleep(for: .milliseconds(100))
      let started = ContinuousClock.now
      task.cancel()
      let result = await task.result
      #expect(ContinuousClock.now - started < .seconds(10))
      guard case .failure(let error) = result else {
        Issue.record("a cancelled request returned a response")
        return
      }
      #expect((error as? HTTPClientError)?.kind == .cancelled)
    }
  }

  @Test func requestsAfterShutdownFail() async throws {
    let client = HTTPClient()
    client.shutdown()
    await #expect {
      try await client.send(HTTPClientRequest(url: "http://127.0.0.1:1/"))
    } throws: { error in
      (error as? HTTPClientError)?.kind == .shutDown
    }
  }
}
