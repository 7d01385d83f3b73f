import PortfolioCore

/// One HTTP request for `HTTPClient`.
public struct HTTPClientRequest: Sendable {
  public var url: String
  public var method: String
  /// Header lines as name and value.
  public var headers: [(name: String, value: String)]
  public var body: [UInt8]
  /// Whole-transfer timeout; the client's default when nil.
  public var timeout: Duration?
  /// The most response bytes read; the client's default when nil.
  public var maxResponseBytes: Int?

  public init(
    url: String, method: String = "GET", headers: [(name: String, value: String)] = [],
    body: [UInt8] = [], timeout: Duration? = nil, maxResponseBytes: Int? = nil
  ) {
    self.url = url
    self.method = method
    self.headers = headers
    self.body = body
    self.timeout = timeout
    self.maxResponseBytes = maxResponseBytes
  }
}

/// A complete response. Non-2xx statuses are responses, not errors: callers decide.
public struct HTTPClientResponse: Sendable {
  public let status: Int
  /// Header names in lower case; a repeated header keeps its last value.
  public let headers: [String: String]
  public let body: [UInt8]

  public init(status: Int, headers: [String: String], body: [UInt8]) {
    self.status = status
    self.headers = headers
    self.body = body
  }
}

/// A transfer that produced no HTTP response, with libcurl's own code kept.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    case connect
    case timeout
    case responseTooLarge
    case tls
    case cancelled
    case shutDown
    /// `HTTPClientOptions.onlyPublicAddresses` refused the address the name resolved to.
    case privateAddress
    /// Anything else libcurl reports: resolution, reset connections, protocol errors.
    case transport
  }

  public let kind: Kind
  /// The `CURLcode`, 0 when the failure was not libcurl's.
  public let code: Int
  public let url: String
  public let message: String

  public init(kind: Kind, code: Int, url: String, message: String) {
    self.kind = kind
    self.code = code
    self.url = url
    self.message = message
  }

  /// The URL redacted: descriptions end up in logs, and a URL may carry a key.
  public var description: String {
    "\(URLRedaction.redactURLs(in: message)) (\(URLRedaction.redact(url)), curl code \(code))"
  }
}

/// Tuning for the client; the defaults suit JSON-RPC against public nodes.
public struct HTTPClientOptions: Sendable {
  public var connectTimeout: Duration = .seconds(5)
  public var requestTimeout: Duration = .seconds(30)
  /// Larger responses fail with `.responseTooLarge` instead of filling memory.
  public var maxResponseBytes = 256 << 20
  /// Connections kept open to one host; HTTP/2 multiplexes within them.
  public var maxConnectionsPerHost = 8
  public var userAgent = "crypto-portfolio-tracker"
  /// Refuses to connect to loopback, private, link-local and other non-public addresses,
  /// checked on each address a name resolves to as the connection is made: for a client that
  /// calls URLs users give. Its pooled connections were all checked so, so reusing one is safe.
  public var onlyPublicAddresses = false

  public init() {}
}
