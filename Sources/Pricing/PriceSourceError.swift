public import PortfolioCore

/// A price source that failed as a whole for one round, with what went wrong kept.
public struct PriceSourceError: Error, Sendable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    /// Sidelined: its circuit breaker is open after repeated failures.
    case unavailable
    case timeout
    /// No HTTP answer: connection refused, reset, DNS, TLS.
    case transport
    /// An HTTP status that is not success, after the retries it deserved.
    case httpStatus(Int)
    /// An answer that is not what was asked for.
    case malformed
    /// The chain read under the source failed.
    case chain
    case cancelled
  }

  public let source: PriceSourceKind
  public let kind: Kind
  public let message: String
  /// HTTP requests sent before it gave up, for the round's count.
  public var httpRequests: Int

  public init(source: PriceSourceKind, kind: Kind, message: String, httpRequests: Int = 0) {
    self.source = source
    self.kind = kind
    self.message = message
    self.httpRequests = httpRequests
  }

  public var description: String { "\(source.rawValue): \(message)" }
}
