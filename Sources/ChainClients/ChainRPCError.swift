import PortfolioCore

/// A chain read that failed, naming the chain and what went wrong, with the raw codes kept.
/// `endpoint` is redacted: errors are logged and shown, and a node URL may carry an API key.
public struct ChainRPCError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// No endpoint can be tried: every circuit breaker is open.
    case unavailable
    case timeout
    /// Connection refused, reset, DNS, TLS: no HTTP answer.
    case transport
    /// An HTTP status that is not success; 429 and 5xx were retried first.
    case httpStatus(Int)
    /// An answer that is not the JSON-RPC we asked for.
    case malformed
    /// The node answered with a JSON-RPC error object.
    case rpc(JSONRPCError)
    case cancelled
  }

  public let chain: String
  public let kind: Kind
  public let endpoint: String?
  public let message: String

  public init(chain: String, kind: Kind, endpoint: String?, message: String) {
    self.chain = chain
    self.kind = kind
    self.endpoint = endpoint
    self.message = message
  }

  public var description: String {
    let at = endpoint.map { " at \($0)" } ?? ""
    // The message may quote what a node or libcurl said, URLs included.
    return "\(chain) node\(at): \(URLRedaction.redactURLs(in: message))"
  }

  /// How an API answers this failure: 504 for a timeout, 503 when no node can be tried,
  /// 502 for anything a node did wrong.
  public var gatewayStatus: Int {
    switch kind {
    case .timeout: 504
    case .unavailable, .cancelled: 503
    case .transport, .httpStatus, .malformed, .rpc: 502
    }
  }
}
