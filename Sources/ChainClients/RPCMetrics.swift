import Metrics
import PortfolioCore

/// Requests to chain nodes, for `/metrics`: counted by chain, method and outcome, timed by
/// chain and method. Methods are the JSON-RPC names this code sends, so the set is small;
/// `ok` means the node answered (a JSON-RPC error object is an answer).
enum RPCMetrics {
  static func record(chain: String, method: String, outcome: RPCEndpoint.Outcome, took: Duration) {
    Counter(
      label: "portfolio_rpc_requests_total",
      dimensions: [("chain", chain), ("method", method), ("outcome", outcome.label)]
    ).increment()
    Timer(
      label: "portfolio_rpc_request_duration_seconds", dimensions: [("chain", chain), ("method", method)]
    )
    .recordNanoseconds(took.inNanoseconds)
  }

  /// A request refused before it was sent: every endpoint's breaker is open.
  static func refused(chain: String, method: String) {
    Counter(
      label: "portfolio_rpc_requests_total",
      dimensions: [("chain", chain), ("method", method), ("outcome", "breaker_open")]
    ).increment()
  }

  /// One method for a batch whose calls share it, else `batch`.
  static func method(of calls: [JSONRPCCall]) -> String {
    guard let first = calls.first?.method, calls.allSatisfy({ $0.method == first }) else { return "batch" }
    return first
  }
}

extension RPCEndpoint.Outcome {
  var label: String {
    switch self {
    case .success: "ok"
    case .transport: "transport_error"
    case .timeout: "timeout"
    case .rateLimited: "rate_limited"
    case .serverError: "server_error"
    case .malformed: "malformed"
    case .cancelled: "cancelled"
    }
  }
}
