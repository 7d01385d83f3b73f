import ChainClients
import CurlHTTP
import Foundation

/// One request to the API, through its gate, retried as the answer deserves.
extension CoinGeckoSource {
  struct SendOutcome: Sendable {
    var result: Result<(answer: CoinGeckoAnswer, at: Date), PriceSourceError>
    /// HTTP requests actually sent, retries included.
    var sent: Int
  }

  /// What one attempt came to: an answer, or a failure with how to go on.
  private enum Attempt {
    case answered(CoinGeckoAnswer, Date)
    case failed(PriceSourceError, retryable: Bool, retryAfter: Duration?)
  }

  func send(_ request: CoinGeckoRequest) async -> SendOutcome {
    var sent = 0
    var attempt = 0
    while true {
      switch gate.reserve(now: .now, longestWait: tuning.retry.maxRetryAfter) {
      case .wait(let wait):
        guard await pause(wait) else {
          return SendOutcome(result: .failure(error(.cancelled, "cancelled")), sent: sent)
        }
      case .sidelined:
        return SendOutcome(result: .failure(sidelinedError), sent: sent)
      case .paused(let remaining):
        return SendOutcome(
          result: .failure(
            error(
              .httpStatus(429), "rate limited: the API asked to wait \(remaining.components.seconds) s more")),
          sent: sent)
      }
      guard let ticket = gate.admit(now: .now) else {
        return SendOutcome(result: .failure(sidelinedError), sent: sent)
      }
      sent += 1
      let failure: PriceSourceError
      let retryAfter: Duration?
      switch await exchange(request, ticket: ticket) {
      case .answered(let answer, let at):
        return SendOutcome(result: .success((answer, at)), sent: sent)
      case .failed(let failed, retryable: false, _):
        return SendOutcome(result: .failure(failed), sent: sent)
      case .failed(let failed, retryable: true, let after):
        failure = failed
        retryAfter = after
      }
      guard
        let delay = tuning.retry.delay(
          beforeRetry: attempt, retryAfter: retryAfter, unitRandom: Double.random(in: 0..<1))
      else { return SendOutcome(result: .failure(failure), sent: sent) }
      gate.countRetry()
      attempt += 1
      guard await pause(delay) else {
        return SendOutcome(result: .failure(error(.cancelled, "cancelled")), sent: sent)
      }
    }
  }

  private var sidelinedError: PriceSourceError {
    error(.unavailable, "sidelined after repeated failures (circuit breaker open)")
  }

  /// Sends once and records the outcome against `ticket` on every path.
  private func exchange(_ request: CoinGeckoRequest, ticket: CircuitBreaker.Ticket) async -> Attempt {
    var headers: [(name: String, value: String)] = [("Accept", "application/json")]
    if let key = api.keyHeader { headers.append(key) }
    let response: HTTPClientResponse
    do {
      response = try await http.send(
        HTTPClientRequest(url: request.url, headers: headers, timeout: .milliseconds(Int(api.timeout * 1000)))
      )
    } catch let failure as HTTPClientError where failure.kind != .cancelled {
      gate.record(.failure, for: ticket, now: .now)
      let kind: PriceSourceError.Kind = failure.kind == .timeout ? .timeout : .transport
      return .failed(error(kind, failure.message), retryable: true, retryAfter: nil)
    } catch {
      gate.record(.abandoned, for: ticket, now: .now)
      return .failed(self.error(.cancelled, "cancelled"), retryable: false, retryAfter: nil)
    }
    let status = response.status
    switch status {
    case 200..<300:
      guard let answer = CoinGeckoAnswer(json: response.body) else {
        gate.record(.failure, for: ticket, now: .now)
        return .failed(
          error(.malformed, "the answer is not a JSON object of prices: \(Self.snippet(response.body))"),
          retryable: true, retryAfter: nil)
      }
      gate.record(.success, for: ticket, now: .now)
      return .answered(answer, now())
    case 429:
      gate.record(.rateLimited, for: ticket, now: .now)
      let after = Self.retryAfter(response.headers["retry-after"])
      if let after { gate.pause(until: .now + after) }
      return .failed(
        error(.httpStatus(status), "HTTP 429 (rate limited): \(Self.snippet(response.body))"),
        retryable: true,
        retryAfter: after)
    case 408, 500...599:
      gate.record(.failure, for: ticket, now: .now)
      return .failed(
        error(.httpStatus(status), "HTTP \(status): \(Self.snippet(response.body))"), retryable: true,
        retryAfter: Self.retryAfter(response.headers["retry-after"]))
    default:
      // 400, 401 (a wrong or missing key), 403, 404: asking again will not help.
      gate.record(.failure, for: ticket, now: .now)
      return .failed(
        error(.httpStatus(status), "HTTP \(status): \(Self.snippet(response.body))"), retryable: false,
        retryAfter: nil)
    }
  }

  /// Waits `duration`; false when the task was cancelled meanwhile.
  private func pause(_ duration: Duration) async -> Bool {
    guard duration > .zero else { return !Task.isCancelled }
    do {
      try await Task.sleep(for: duration)
      return true
    } catch {
      return false
    }
  }

  /// Retry-After in seconds; the HTTP-date form is read as absent.
  static func retryAfter(_ value: String?) -> Duration? {
    guard let value, let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds.isFinite,
      seconds >= 0
    else { return nil }
    return .milliseconds(Int(min(seconds, 86400) * 1000))
  }

  /// The start of a body, for error messages.
  static func snippet(_ body: [UInt8]) -> String {
    let text = String(decoding: body.prefix(200), as: UTF8.self)
    return text.isEmpty ? "(empty body)" : text
  }
}
