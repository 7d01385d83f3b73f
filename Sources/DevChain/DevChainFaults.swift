/// A misbehaviour devchain injects into a chain's JSON-RPC answers or its CoinGecko API, for
/// the next `remaining` HTTP requests (all of them until cleared when nil).
public struct DevChainFault: Sendable, Equatable {
  public enum Kind: String, Sendable, CaseIterable {
    /// Answer correctly, `milliseconds` late.
    case latency
    /// HTTP 429 with `Retry-After: 1`.
    case tooManyRequests = "429"
    /// HTTP 500.
    case serverError = "500"
    /// HTTP 200 with a body cut short, so not JSON.
    case malformed
    /// Close the connection without answering.
    case drop
    /// Clears the fault.
    case none
  }

  public var kind: Kind
  public var remaining: Int?
  public var milliseconds: Int

  public init(kind: Kind, remaining: Int? = nil, milliseconds: Int = 0) {
    self.kind = kind
    self.remaining = remaining
    self.milliseconds = milliseconds
  }

  /// Spends one use; returns the fault to apply to this request, if any.
  mutating func consume() -> DevChainFault? {
    guard kind != .none else { return nil }
    if let left = remaining {
      guard left > 0 else { return nil }
      remaining = left - 1
    }
    return self
  }
}

/// Request counts for one chain, to show how many HTTP requests a refresh cost.
public struct DevChainStats: Sendable, Equatable {
  public var httpRequests = 0
  /// JSON-RPC calls by method; a batch counts each call.
  public var calls: [String: Int] = [:]
  /// Calls made inside Multicall3 `aggregate3`.
  public var multicallCalls = 0

  mutating func add(_ other: DevChainStats) {
    httpRequests += other.httpRequests
    multicallCalls += other.multicallCalls
    calls.merge(other.calls, uniquingKeysWith: +)
  }
}
