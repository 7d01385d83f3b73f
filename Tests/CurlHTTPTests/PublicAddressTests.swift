import CurlHTTP
import Testing

/// Requests to URLs users give may only reach public addresses: checked by libcurl's socket
/// callback on the address each connection is about to use.
@Suite struct PublicAddressTests {
  static func guarded() -> HTTPClient {
    var options = HTTPClientOptions()
    options.onlyPublicAddresses = true
    return HTTPClient(options: options)
  }

  /// How the request failed; nil when it did not.
  static func failure(of request: HTTPClientRequest, on client: HTTPClient) async -> HTTPClientError.Kind? {
    do {
      _ = try await client.send(request)
      return nil
    } catch let error as HTTPClientError {
      return error.kind
    } catch {
      return .transport
    }
  }

  @Test func aLoopbackTargetIsRefusedOnlyWhenAsked() async throws {
    try await HTTPClientTests.withServer { (base: String) async throws in
      let open = HTTPClient()
      defer { open.shutdown() }
      #expect(try await open.send(HTTPClientRequest(url: base + "/echo")).status == 200)
      let client = Self.guarded()
      defer { client.shutdown() }
      #expect(await Self.failure(of: HTTPClientRequest(url: base + "/echo"), on: client) == .privateAddress)
      // A name resolving to loopback is caught the same way, after its lookup.
      let port = base.split(separator: ":").last.map(String.init) ?? ""
      let named = HTTPClientRequest(url: "http://localhost:\(port)/echo")
      #expect(await Self.failure(of: named, on: client) == .privateAddress)
    }
  }

  @Test func everyNonPublicRangeIsRefused() async throws {
    let client = Self.guarded()
    defer { client.shutdown() }
    // Nothing listens on most of these; refused before connecting all the same.
    for host in [
      "127.0.0.2", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
      "[::1]", "[fd00:ec2::254]", "[fe80::1]", "[::ffff:127.0.0.1]", "[64:ff9b::a00:1]",
    ] {
      let request = HTTPClientRequest(url: "http://\(host):9/", timeout: .seconds(2))
      let kind = await Self.failure(of: request, on: client)
      #expect(kind == .privateAddress, "\(host): \(String(describing: kind))")
    }
  }
}
