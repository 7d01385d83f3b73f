public import CurlHTTP
import Foundation
import Synchronization

/// JSON-RPC 2.0 to one chain's nodes: single calls and batches, ids matched, with retries
/// (full-jitter backoff, Retry-After), a circuit breaker and a rate limit per endpoint, and
/// failover to the next endpoint when one fails.
public final class RPCClient: Sendable {
  public struct Settings: Sendable {
    public var retry = RetryPolicy()
    /// Requests a second per endpoint; 0 is unlimited.
    public var requestsPerSecond: Double = 0
    public var breakerThreshold = 5
    public var breakerCoolDown: Duration = .seconds(10)
    /// A half-open probe unanswered this long counts as failed, so a lost probe cannot keep
    /// the breaker half-open; always at least 5 s past `timeout`.
    public var breakerProbeDeadline: Duration = .seconds(45)
    public var timeout: Duration?

    public init() {}
  }

  public let chain: String
  let endpoints: [RPCEndpoint]
  private let http: HTTPClient
  private let settings: Settings
  private let nextID = Mutex(1)

  public init(chain: String, urls: [String], http: HTTPClient, settings: Settings = Settings()) {
    self.chain = chain
    self.http = http
    self.settings = settings
    endpoints = urls.map { url in
      RPCEndpoint(
        url: url,
        breaker: CircuitBreaker(
          failureThreshold: settings.breakerThreshold, coolDown: settings.breakerCoolDown,
          probeDeadline: max(settings.breakerProbeDeadline, (settings.timeout ?? .zero) + .seconds(5))),
        requestsPerSecond: settings.requestsPerSecond)
    }
  }

  /// One call. A JSON-RPC error object is thrown as `.rpc`.
  public func call<R: Decodable & Sendable>(_ call: JSONRPCCall, as type: R.Type) async throws(ChainRPCError)
    -> R
  {
    let id = reserveIDs(1)
    let body = JSONRPCCodec.encode([call], firstID: id, batch: false)
    let outcome = try await exchange(body, method: call.method) { bytes throws(RPCDecodingFailure) in
      try JSONRPCCodec.decodeSingle(bytes, as: type, id: id)
    }
    switch outcome.result {
    case .success(let value): return value
    case .failure(let error):
      throw ChainRPCError(
        chain: chain, kind: .rpc(error), endpoint: outcome.endpoint, message: error.description)
    }
  }

  /// Many calls in one HTTP request; each answer is a result of its own, in call order.
  public func batch<R: Decodable & Sendable>(_ calls: [JSONRPCCall], as type: R.Type)
    async throws(ChainRPCError)
    -> [Result<R, JSONRPCError>]
  {
    guard !calls.isEmpty else { return [] }
    let id = reserveIDs(calls.count)
    let body = JSONRPCCodec.encode(calls, firstID: id, batch: true)
    return try await exchange(body, method: RPCMetrics.method(of: calls)) {
      bytes throws(RPCDecodingFailure) in
      try JSONRPCCodec.decodeBatch(bytes, as: type, firstID: id, count: calls.count)
    }.result
  }

  /// Per endpoint, in configured order; URLs redacted.
  public var stats: [EndpointStats] { endpoints.map(\.stats) }

  /// How long a failing endpoint is left alone before a probe; pollers pace their retries by it.
  public var breakerCoolDown: Duration { settings.breakerCoolDown }

  /// How long until some endpoint's breaker lets a request through; zero when one would now.
  public var breakerWait: Duration {
    let now = ContinuousClock.now
    return endpoints.map { $0.breakerWait(now: now) }.min() ?? .zero
  }

  private func reserveIDs(_ count: Int) -> Int {
    nextID.withLock { next in
      defer { next = next > Int(Int32.max) ? 1 : next + count }
      return next
    }
  }

  /// Posts `body` until an endpoint answers something `decode` accepts, or retries run out.
  private func exchange<T>(
    _ body: [UInt8], method: String, decode: ([UInt8]) throws(RPCDecodingFailure) -> T
  ) async throws(ChainRPCError) -> (result: T, endpoint: String) {
    var cursor = 0
    var lastFailure: ChainRPCError?
    for attempt in 0..<max(1, settings.retry.maxAttempts) {
      guard let admission = admitNext(from: &cursor) else {
        RPCMetrics.refused(chain: chain, method: method)
        throw ChainRPCError(
          chain: chain, kind: .unavailable, endpoint: nil,
          message: "every endpoint is failing; circuit breakers are open"
            + (lastFailure.map { " (last error: \($0.message))" } ?? ""))
      }
      let failure: Failure
      switch try await send(body, through: admission, method: method, decode: decode) {
      case .answered(let result): return (result, admission.endpoint.shownURL)
      case .failed(let failed): failure = failed
      }
      lastFailure = failure.error
      let delay =
        failure.retryable
        ? settings.retry.delay(
          beforeRetry: attempt, retryAfter: failure.retryAfter, unitRandom: Double.random(in: 0..<1))
        : nil
      guard let delay else { throw failure.error }
      admission.endpoint.countRetry()
      cursor += 1  // fail over to the next endpoint, if there is one
      try await pause(delay)
    }
    throw lastFailure
      ?? ChainRPCError(chain: chain, kind: .unavailable, endpoint: nil, message: "no attempt was made")
  }

  private struct Failure {
    var error: ChainRPCError
    var retryAfter: Duration?
    var retryable: Bool
  }

  private enum Attempt<T> {
    case answered(T)
    case failed(Failure)
  }

  /// One request through one admission. Its outcome is recorded exactly once on every path,
  /// cancellation included: an admission left unrecorded would hold a half-open breaker's
  /// only probe slot.
  private func send<T>(
    _ body: [UInt8], through admission: RPCEndpoint.Admission, method: String,
    decode: ([UInt8]) throws(RPCDecodingFailure) -> T
  ) async throws(ChainRPCError) -> Attempt<T> {
    let endpoint = admission.endpoint
    var outcome = RPCEndpoint.Outcome.cancelled
    if admission.wait > .zero {
      do {
        try await pause(admission.wait)
      } catch {
        endpoint.record(outcome, for: admission.ticket, now: .now)
        throw error
      }
    }
    let sent = ContinuousClock.now
    defer {
      endpoint.record(outcome, for: admission.ticket, now: .now)
      RPCMetrics.record(chain: chain, method: method, outcome: outcome, took: .now - sent)
    }
    let response: HTTPClientResponse
    do {
      response = try await http.send(
        HTTPClientRequest(
          url: endpoint.url, method: "POST", headers: [("Content-Type", "application/json")], body: body,
          timeout: settings.timeout))
    } catch let error as HTTPClientError where error.kind != .cancelled {
      outcome = error.kind == .timeout ? .timeout : .transport
      let kind: ChainRPCError.Kind = error.kind == .timeout ? .timeout : .transport
      return .failed(Failure(error: fail(endpoint, kind, error.message), retryAfter: nil, retryable: true))
    } catch {
      throw ChainRPCError(chain: chain, kind: .cancelled, endpoint: endpoint.shownURL, message: "cancelled")
    }
    guard (200..<300).contains(response.status) else {
      let classified = classify(response, at: endpoint)
      outcome = classified.outcome
      return .failed(
        Failure(error: classified.error, retryAfter: classified.retryAfter, retryable: classified.retryable))
    }
    do {
      let result = try decode(response.body)
      outcome = .success
      return .answered(result)
    } catch {
      outcome = .malformed
      return .failed(
        Failure(error: fail(endpoint, .malformed, error.reason), retryAfter: nil, retryable: true))
    }
  }

  /// The first endpoint from `cursor` on whose breaker lets a request through.
  private func admitNext(from cursor: inout Int) -> RPCEndpoint.Admission? {
    guard !endpoints.isEmpty else { return nil }
    for offset in 0..<endpoints.count {
      let index = (cursor + offset) % endpoints.count
      if let admission = endpoints[index].admit(now: .now) {
        cursor = index
        return admission
      }
    }
    return nil
  }

  private func classify(_ response: HTTPClientResponse, at endpoint: RPCEndpoint)
    -> (error: ChainRPCError, outcome: RPCEndpoint.Outcome, retryAfter: Duration?, retryable: Bool)
  {
    let status = response.status
    let detail = "HTTP \(status): \(JSONRPCCodec.snippet(response.body))"
    let error = ChainRPCError(
      chain: chain, kind: .httpStatus(status), endpoint: endpoint.shownURL, message: detail)
    switch status {
    case 429:
      return (error, .rateLimited, Self.retryAfter(response.headers["retry-after"]), true)
    case 408, 500...599:
      return (error, .serverError, Self.retryAfter(response.headers["retry-after"]), true)
    default:
      return (error, .malformed, nil, false)
    }
  }

  private func fail(_ endpoint: RPCEndpoint, _ kind: ChainRPCError.Kind, _ message: String) -> ChainRPCError {
    ChainRPCError(chain: chain, kind: kind, endpoint: endpoint.shownURL, message: message)
  }

  /// Retry-After in seconds; the HTTP-date form is rare from RPC nodes and read as absent.
  static func retryAfter(_ value: String?) -> Duration? {
    guard let value, let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 else {
      return nil
    }
    return .milliseconds(Int(seconds * 1000))
  }

  private func pause(_ duration: Duration) async throws(ChainRPCError) {
    do {
      try await Task.sleep(for: duration)
    } catch {
      throw ChainRPCError(chain: chain, kind: .cancelled, endpoint: nil, message: "cancelled")
    }
  }
}
