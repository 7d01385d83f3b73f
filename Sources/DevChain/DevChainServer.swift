public import Logging
public import WebServer

/// Devchain on a port: used by the `devchain` command, tests and the bench tool.
public final class DevChainServer: Sendable {
  public let chain: DevChain
  public let server: WebServer
  public let host: String

  public init(host: String = "127.0.0.1", port: Int = 0, ethereumChainID: UInt64 = 1, logger: Logger? = nil)
    throws
  {
    var quiet = Logger(label: "devchain")
    quiet.logLevel = .warning
    chain = DevChain(ethereumChainID: ethereumChainID)
    self.host = host
    var options = WebServerOptions(host: host, port: port, staticDirectory: nil, maxBodyBytes: 64 << 20)
    // The CoinGecko API's key headers, which are not among the headers lws reads by itself.
    options.extraHeaders = CoinGeckoKeyCheck.Plan.allCases.map(\.header)
    server = try WebServer(
      options: options,
      http: DevChainResponder(chain), webSocket: RefuseWebSockets(), logger: logger ?? quiet)
  }

  public var port: Int { server.port }
  public var baseURL: String { "http://\(host):\(port)" }
  public var ethereumURL: String { baseURL + "/ethereum" }
  public var solanaURL: String { baseURL + "/solana" }

  public func stop() async {
    await server.shutdown(grace: .milliseconds(200))
  }
}

struct RefuseWebSockets: WebSocketResponder {
  func open(_ connection: WebSocketConnection) -> any WebSocketHandler {
    connection.close(code: 1008, reason: "devchain serves no WebSocket")
    return IgnoreEvents()
  }
}

struct IgnoreEvents: WebSocketHandler {
  func handle(_ event: WebSocketEvent) async {}
}
