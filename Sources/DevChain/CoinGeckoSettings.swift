/// Whether devchain's CoinGecko API asks for a key, and which header carries it.
public struct CoinGeckoKeyCheck: Sendable, Equatable {
  /// CoinGecko's two API plans, each with its own key header.
  public enum Plan: String, Sendable, CaseIterable {
    case demo
    case pro

    /// The header a client sends the key in.
    public var header: String { "x-cg-\(rawValue)-api-key" }
    /// The query argument CoinGecko also accepts the key in.
    public var queryArgument: String { "x_cg_\(rawValue)_api_key" }
  }

  public var key: String
  public var plan: Plan

  public init(key: String, plan: Plan) {
    self.key = key
    self.plan = plan
  }
}

/// Request counts for the CoinGecko API, to show how many requests a price refresh cost.
public struct CoinGeckoStats: Sendable, Equatable {
  /// Requests devchain answered (not those an injected fault answered in its place).
  public var httpRequests = 0
  /// Requests by endpoint: `simple/price`, `simple/token_price`, `ping`.
  public var calls: [String: Int] = [:]
  /// Coin ids and contract addresses named in the requests, as listed.
  public var assetsAsked = 0

  mutating func add(_ other: CoinGeckoStats) {
    httpRequests += other.httpRequests
    assetsAsked += other.assetsAsked
    calls.merge(other.calls, uniquingKeysWith: +)
  }
}
