import ChainClients
import CurlHTTP
import DevChain
import Testing

/// Each fault devchain can inject, and what the client does about it.
@Suite struct RPCClientFaultTests {
  func blockNumber(_ client: RPCClient) async throws(ChainRPCError) -> String {
    try await client.call(JSONRPCCall("eth_blockNumber"), as: String.self)
  }

  @Test(arguments: [DevChainFault.Kind.tooManyRequests, .serverError, .malformed, .drop])
  func aPassingFaultIsRetriedAway(kind: DevChainFault.Kind) async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setFault(chain: "ethereum", DevChainFault(kind: kind, remaining: 2))
      let client = RPCClient(
        chain: "ethereum", urls: [devchain.ethereumURL], http: http, settings: quickSettings())
      #expect(try await blockNumber(client).hasPrefix("0x"))
      let stats = try #require(client.stats.first)
      #expect(stats.requests == 3)
      #expect(stats.retries == 2)
      #expect(stats.successes == 1)
      switch kind {
      case .tooManyRequests: #expect(stats.rateLimited == 2)
      case .serverError: #expect(stats.serverErrors == 2)
      case .malformed: #expect(stats.malformed == 2)
      default: #expect(stats.transportErrors == 2)
      }
    }
  }

  @Test func retryAfterIsHonoured() async throws {
    try await withDevChain { devchain, http in
      // devchain's 429 says Retry-After: 1.
      try devchain.chain.setFault(chain: "ethereum", DevChainFault(kind: .tooManyRequests, remaining: 1))
      let client = RPCClient(
        chain: "ethereum", urls: [devchain.ethereumURL], http: http, settings: quickSettings())
      let started = ContinuousClock.now
      _ = try await blockNumber(client)
      #expect(ContinuousClock.now - started >= .milliseconds(950))
    }
  }

  @Test func aLastingFaultEndsInAnErrorNamingTheChainAndStatus() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setFault(chain: "ethereum", DevChainFault(kind: .serverError))
      let client = RPCClient(
        chain: "ethereum", urls: [devchain.ethereumURL], http: http, settings: quickSettings(attempts: 3))
      await #expect {
        try await blockNumber(client)
      } throws: { error in
        guard let error = error as? ChainRPCError else { return false }
        return error.kind == .httpStatus(500) && error.chain == "ethereum" && error.gatewayStatus == 502
          && error.description.contains("HTTP 500")
      }
      #expect(client.stats.first?.requests == 3)
    }
  }

  @Test func latencyBeyondTheTimeoutIsA504() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setFault(chain: "ethereum", DevChainFault(kind: .latency, milliseconds: 1500))
      var settings = quickSettings(attempts: 2)
      settings.timeout = .milliseconds(200)
      let client = RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http, settings: settings)
      await #expect {
        try await blockNumber(client)
      } throws: { error in
        (error as? ChainRPCError)?.kind == .timeout && (error as? ChainRPCError)?.gatewayStatus == 504
      }
      #expect(client.stats.first?.timeouts == 2)
    }
  }

  @Test func theBreakerOpensThenAHalfOpenProbeClosesIt() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setFault(chain: "ethereum", DevChainFault(kind: .serverError))
      let client = RPCClient(
        chain: "ethereum", urls: [devchain.ethereumURL], http: http,
        settings: quickSettings(attempts: 2, breakerThreshold: 2))
      await #expect(throws: ChainRPCError.self) { try await blockNumber(client) }
      #expect(client.stats.first?.breakerOpen == true)
      // While open, calls fail fast without reaching the node.
      let before = devchain.chain.stats["ethereum"]?.httpRequests ?? 0
      await #expect {
        try await blockNumber(client)
      } throws: { error in
        (error as? ChainRPCError)?.kind == .unavailable && (error as? ChainRPCError)?.gatewayStatus == 503
      }
      #expect(devchain.chain.stats["ethereum"]?.httpRequests ?? 0 == before)
      // The node recovers; after the cool-down one probe goes through and closes the breaker.
      try devchain.chain.setFault(chain: "ethereum", DevChainFault(kind: .none))
      try await Task.sleep(for: .milliseconds(350))
      #expect(try await blockNumber(client).hasPrefix("0x"))
      #expect(client.stats.first?.breakerOpen == false)
      #expect(client.stats.first?.breakerOpenings == 1)
    }
  }

  @Test func aCancelledHalfOpenProbeDoesNotWedgeTheBreaker() async throws {
    try await withDevChain { devchain, http in
      try devchain.chain.setFault(chain: "ethereum", DevChainFault(kind: .serverError, remaining: 1))
      // Timeouts far beyond the test's own waits: on a busy machine a 200 ms sleep can take
      // seconds, and the probe must end by cancellation, not by timing out.
      var settings = quickSettings(attempts: 1, breakerThreshold: 1)
      settings.timeout = .seconds(60)
      let client = RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http, settings: settings)
      await #expect(throws: ChainRPCError.self) { try await blockNumber(client) }
      #expect(client.stats.first?.breakerOpen == true)
      // After the cool-down the next call is the probe; it hangs at the node and is cancelled.
      try await Task.sleep(for: .milliseconds(350))
      try devchain.chain.setFault(
        chain: "ethereum", DevChainFault(kind: .latency, remaining: 1, milliseconds: 30_000))
      let probe = Task { try await blockNumber(client) }
      try await Task.sleep(for: .milliseconds(200))
      probe.cancel()
      await #expect {
        try await probe.value
      } throws: { error in
        (error as? ChainRPCError)?.kind == .cancelled
      }
      #expect(client.stats.first?.cancelled == 1)
      // The node is healthy: the next call after the cool-down reaches it and succeeds.
      try await Task.sleep(for: .milliseconds(350))
      #expect(try await blockNumber(client).hasPrefix("0x"))
      #expect(client.stats.first?.breakerOpen == false)
    }
  }

  @Test func aFailingEndpointFailsOverToTheNext() async throws {
    try await withDevChain { broken, http in
      let healthy = try DevChainServer()
      defer { Task { await healthy.stop() } }
      try broken.chain.setFault(chain: "ethereum", DevChainFault(kind: .serverError))
      let client = RPCClient(
        chain: "ethereum", urls: [broken.ethereumURL, healthy.ethereumURL], http: http,
        settings: quickSettings())
      #expect(try await blockNumber(client).hasPrefix("0x"))
      #expect(client.stats.map(\.successes) == [0, 1])
      #expect(client.stats[0].serverErrors == 1)
      await healthy.stop()
    }
  }

  @Test func jsonRPCErrorsAreSurfacedWithTheirCode() async throws {
    try await withDevChain { devchain, http in
      let client = RPCClient(
        chain: "ethereum", urls: [devchain.ethereumURL], http: http, settings: quickSettings())
      await #expect {
        try await client.call(JSONRPCCall("eth_mine"), as: String.self)
      } throws: { error in
        guard case .rpc(let rpc)? = (error as? ChainRPCError)?.kind else { return false }
        return rpc.code == -32601 && rpc.message.contains("eth_mine")
      }
      // A batch keeps per-call errors apart from results.
      let answers = try await client.batch(
        [JSONRPCCall("eth_chainId"), JSONRPCCall("nope")], as: String.self)
      #expect((try? answers[0].get()) == "0x1")
      if case .failure(let error) = answers[1] {
        #expect(error.code == -32601)
      } else {
        Issue.record("expected an error")
      }
    }
  }

  @Test func aNodeThatIsDownIsATransportError() async throws {
    let http = HTTPClient()
    defer { http.shutdown() }
    let client = RPCClient(
      chain: "solana", urls: ["http://127.0.0.1:1/solana"], http: http, settings: quickSettings(attempts: 2))
    await #expect {
      try await client.call(JSONRPCCall("getSlot"), as: UInt64.self)
    } throws: { error in
      (error as? ChainRPCError)?.kind == .transport && (error as? ChainRPCError)?.gatewayStatus == 502
    }
  }
}
