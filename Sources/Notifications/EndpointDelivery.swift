import CurlHTTP
import Foundation
import PortfolioCore
import PushCrypto
public import Storage

/// How one attempt to hand an event to an endpoint ended.
enum DeliveryOutcome {
  case accepted
  /// The endpoint says it is gone for good (410, or 404 from a push service).
  case gone
  case failed
  /// The event cannot be sent to this endpoint at all: passed over.
  case skip
}

/// Sending one event to one endpoint, as a signed webhook or an encrypted push message, and
/// logging the attempt.
extension WebhookDispatcher {
  /// Sends the event and answers how it went, with the attempt for the delivery log.
  func deliver(_ event: WebhookEvent, to endpoint: Webhook, attempt: Int) async -> (
    DeliveryOutcome, WebhookDelivery
  ) {
    let sentAt = Date()
    let messageID = WebhookMessage.id(webhook: endpoint.id, seq: event.seq)
    func logged(_ result: (status: Int?, response: String?, error: String?, milliseconds: Int64))
      -> WebhookDelivery
    {
      WebhookDelivery(
        id: 0, webhookID: endpoint.id, seq: event.seq, eventType: event.type.rawValue, messageID: messageID,
        attempt: attempt, attemptedAt: sentAt, status: result.status,
        latencyMilliseconds: result.milliseconds,
        response: result.response, error: result.error)
    }
    let request: HTTPClientRequest
    switch endpoint.kind {
    case .webhook:
      let message = WebhookMessage(
        id: messageID, type: event.type.rawValue, occurredAt: event.at, data: event.data,
        secrets: endpoint.signingSecrets(at: sentAt), sentAt: sentAt)
      request = HTTPClientRequest(
        url: endpoint.url, method: "POST", headers: message.headers, body: message.body)
    case .webpush:
      do {
        request = try pushRequest(event, to: endpoint, at: sentAt)
      } catch {
        return (.skip, logged((nil, nil, "could not encrypt the message: \(error)", 0)))
      }
    }
    let result = await send(request)
    let delivery = logged(result)
    guard let status = result.status else { return (.failed, delivery) }
    if (200..<300).contains(status) { return (.accepted, delivery) }
    if status == 410 || (endpoint.kind == .webpush && status == 404) { return (.gone, delivery) }
    return (.failed, delivery)
  }

  /// The event's notification, encrypted for the subscription (RFC 8291) and signed (VAPID).
  private func pushRequest(_ event: WebhookEvent, to subscription: Webhook, at time: Date) throws
    -> HTTPClientRequest
  {
    guard let keys = subscription.pushKeys, let endpoint = URL(string: subscription.url) else {
      throw PushCryptoError.invalidEndpoint(subscription.url)
    }
    let request = try push.request(
      endpoint: endpoint, keys: try PushSubscriptionKeys(p256dh: keys.p256dh, auth: keys.auth),
      payload: Data(PushPayload.json(for: event)), ttl: 86400,
      urgency: event.type == .alertTriggered ? .high : .normal, now: time)
    return HTTPClientRequest(
      url: request.url.absoluteString, method: request.method,
      headers: request.headers.map { ($0.name, $0.value) },
      body: Array(request.body))
  }

  /// Sends a request; the status (nil when no answer came), the answer's start, the error and
  /// the time taken.
  func send(_ request: HTTPClientRequest) async -> (
    status: Int?, response: String?, error: String?, milliseconds: Int64
  ) {
    let started = ContinuousClock.now
    func elapsed() -> Int64 { Int64((ContinuousClock.now - started).inSeconds * 1000) }
    do {
      let response = try await http.send(request)
      let snippet = String(decoding: response.body.prefix(512), as: UTF8.self)
      return (response.status, snippet, nil, elapsed())
    } catch let error as HTTPClientError {
      return (
        nil, nil, error.kind == .privateAddress ? "refused: \(error.message)" : error.message, elapsed()
      )
    } catch {
      return (nil, nil, "\(error)", elapsed())
    }
  }

  /// Sends a `ping` message now, outside the webhook's order, and answers how it went.
  public func ping(_ webhook: Webhook) async -> (
    status: Int?, response: String?, error: String?, milliseconds: Int64
  ) {
    let now = Date()
    let message = WebhookMessage(
      id: "msg_ping_\(UUID().uuidString.lowercased().prefix(12))", type: "ping", occurredAt: now,
      data: ["webhook": .string(webhook.id.uuidString.lowercased())],
      secrets: webhook.signingSecrets(at: now),
      sentAt: now)
    return await send(
      HTTPClientRequest(url: webhook.url, method: "POST", headers: message.headers, body: message.body))
  }
}
