import Foundation
import Notifications
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/webhooks`: endpoints that are sent the user's events, signed (Standard Webhooks),
/// in order, until each is accepted.
struct WebhookRoutes {
  let store: WebhookStore
  let dispatcher: WebhookDispatcher
  let chains: Set<ChainName>
  let now: @Sendable () -> Date

  /// After a rotation, the old secret signs too for this long.
  static let rotationGrace: TimeInterval = 86400

  var routes: [Route] {
    [
      Route(.post, "/api/v1/webhooks") { try create($0) },
      Route(.get, "/api/v1/webhooks") { context in
        JSONResponse.json(["webhooks": .array(try store.list(owner: try context.owner).map { Self.json($0) })]
        )
      },
      Route(.get, "/api/v1/webhooks/{id}") { JSONResponse.json(Self.json(try find($0))) },
      Route(.patch, "/api/v1/webhooks/{id}") { try update($0) },
      Route(.delete, "/api/v1/webhooks/{id}") { try delete($0) },
      Route(.get, "/api/v1/webhooks/{id}/deliveries") { try deliveries($0) },
      Route(.post, "/api/v1/webhooks/{id}/redeliver") { try redeliver($0) },
      Route(.post, "/api/v1/webhooks/{id}/ping") { try await ping($0) },
      Route(.post, "/api/v1/webhooks/{id}/rotate-secret") { try rotate($0) },
    ]
  }

  private var input: WebhookInput {
    WebhookInput(allowPrivateTargets: dispatcher.settings.allowPrivateTargets)
  }

  private func create(_ context: RouteContext) throws -> HTTPResponse {
    let body = try JSONBody(context.request)
    try body.allowOnly(["url", "description", "event_types", "filters"])
    let urlText = try body.string("url")
    try WebhookInput.checkForm(urlText)
    let description = try WebhookInput.description(try body.optionalString("description"))
    let types = try WebhookInput.eventTypes(try body.optionalStrings("event_types"))
    let filters = try WebhookInput.filters(try body.optionalObject("filters"), chains: chains)
    // Last: the name is looked up only for an otherwise valid webhook.
    let url = try input.url(urlText)
    let owner = try context.owner
    let time = now()
    let secret = try WebhookMessage.makeSecret()
    let webhook = try store.create { cursor in
      Webhook(
        owner: owner, url: url, description: description, eventTypes: types, filters: filters, secret: secret,
        cursor: cursor, at: time)
    }
    dispatcher.webhooksChanged(webhook.id)
    var object = Self.fields(webhook)
    object["secret"] = .string(webhook.secret)
    return JSONResponse.json(
      .object(object), status: 201,
      headers: [("location", "/api/v1/webhooks/\(webhook.id.uuidString.lowercased())")])
  }

  private func update(_ context: RouteContext) throws -> HTTPResponse {
    let id = try Self.webhookID(context)
    let body = try JSONBody(context.request)
    try body.allowOnly(["url", "description", "event_types", "filters", "enabled"])
    let url = try body.optionalString("url").map { text throws(APIError) in try input.url(text) }
    let description = try WebhookInput.description(try body.optionalString("description"))
    let types =
      body.has("event_types") ? try WebhookInput.eventTypes(try body.optionalStrings("event_types")) : nil
    let filters =
      body.has("filters") ? try WebhookInput.filters(try body.optionalObject("filters"), chains: chains) : nil
    let enabled = try body.optionalBool("enabled")
    guard
      let webhook = try store.update(
        id: id, owner: try context.owner, at: now(),
        { webhook in
          if let url { webhook.url = url }
          if body.has("description") { webhook.description = description }
          if let types { webhook.eventTypes = types }
          if let filters { webhook.filters = filters }
          if let enabled {
            webhook.enabled = enabled
            if enabled {
              // Enabled again: the event that failed is tried at once, its failures forgotten.
              webhook.disabledReason = nil
              webhook.failingSince = nil
              webhook.attempts = 0
              webhook.nextAttemptAt = nil
            } else {
              webhook.disabledReason = "disabled by its user"
            }
          }
        })
    else { throw Self.unknownWebhook(context) }
    dispatcher.webhooksChanged(webhook.id)
    return JSONResponse.json(Self.json(webhook))
  }

  private func delete(_ context: RouteContext) throws -> HTTPResponse {
    guard try store.delete(id: try Self.webhookID(context), owner: try context.owner) else {
      throw Self.unknownWebhook(context)
    }
    dispatcher.webhooksChanged(try Self.webhookID(context))
    return HTTPResponse(status: 204)
  }

  private func deliveries(_ context: RouteContext) throws -> HTTPResponse {
    let webhook = try find(context)
    let limit = try context.request.pageLimit(standard: 50, maximum: 500)
    var before: Int64?
    if let text = context.request.queryValue("before") {
      guard let value = Int64(text), value > 0 else {
        throw APIError.badRequest(
          "The query parameter 'before' must be an id from an earlier page.", field: "before")
      }
      before = value
    }
    let page = try store.deliveries(webhookID: webhook.id, before: before, limit: limit + 1)
    let shown = page.prefix(limit)
    return JSONResponse.json([
      "deliveries": .array(shown.map(Self.json)),
      "next_before": page.count > limit ? shown.last.map { .integer($0.id) } ?? .null : .null,
    ])
  }

  private func redeliver(_ context: RouteContext) throws -> HTTPResponse {
    let id = try Self.webhookID(context)
    let body = try JSONBody(context.request)
    try body.allowOnly(["from_seq"])
    guard let from = try body.optionalInteger("from_seq", in: 1...Int64.max) else {
      throw APIError.badRequest(
        "The field 'from_seq' is required: the first seq to send again.", field: "from_seq")
    }
    guard
      let webhook = try store.update(
        id: id, owner: try context.owner, at: now(),
        { webhook in
          webhook.cursor = from - 1
          webhook.pendingSeq = nil
          webhook.attempts = 0
          webhook.nextAttemptAt = nil
          webhook.failingSince = nil
          webhook.enabled = true
          webhook.disabledReason = nil
        })
    else { throw Self.unknownWebhook(context) }
    dispatcher.webhooksChanged(webhook.id)
    return JSONResponse.json(Self.json(webhook), status: 202)
  }

  private func ping(_ context: RouteContext) async throws -> HTTPResponse {
    let webhook = try find(context)
    let result = await dispatcher.ping(webhook)
    return JSONResponse.json([
      "status": result.status.map { .integer(Int64($0)) } ?? .null,
      "ok": .bool(result.status.map { (200..<300).contains($0) } ?? false),
      "latency_ms": .integer(result.milliseconds), "response": result.response.map(JSONValue.string) ?? .null,
      "error": result.error.map(JSONValue.string) ?? .null,
    ])
  }

  private func rotate(_ context: RouteContext) throws -> HTTPResponse {
    let time = now()
    let secret = try WebhookMessage.makeSecret()
    guard
      let webhook = try store.update(
        id: try Self.webhookID(context), owner: try context.owner, at: time,
        { webhook in
          webhook.previousSecret = webhook.secret
          webhook.previousUntil = time.addingTimeInterval(Self.rotationGrace)
          webhook.secret = secret
        })
    else { throw Self.unknownWebhook(context) }
    return JSONResponse.json([
      "secret": .string(webhook.secret),
      "previous_valid_until": webhook.previousUntil.map { .string($0.iso8601) } ?? .null,
    ])
  }

  private func find(_ context: RouteContext) throws -> Webhook {
    guard let webhook = try store.webhook(id: try Self.webhookID(context), owner: try context.owner) else {
      throw Self.unknownWebhook(context)
    }
    return webhook
  }

  static func webhookID(_ context: RouteContext) throws(APIError) -> UUID {
    try context.uuid(orElse: unknownWebhook(context))
  }

  static func unknownWebhook(_ context: RouteContext) -> APIError {
    .notFound("No webhook with id '\(context.parameters["id"] ?? "")'.")
  }

  static func json(_ webhook: Webhook) -> JSONValue { .object(fields(webhook)) }

  static func fields(_ webhook: Webhook) -> [String: JSONValue] {
    func date(_ value: Date?) -> JSONValue { value.map { .string($0.iso8601) } ?? .null }
    func strings(_ values: [String]?) -> JSONValue {
      values.map { .array($0.map(JSONValue.string)) } ?? .null
    }
    return [
      "id": .string(webhook.id.uuidString.lowercased()), "url": .string(webhook.url),
      "description": webhook.description.map(JSONValue.string) ?? .null,
      "event_types": .array(
        (webhook.eventTypes.isEmpty ? Set(WebhookEventType.allCases) : webhook.eventTypes).sorted().map {
          .string($0.rawValue)
        }),
      "filters": [
        "wallets": strings(webhook.filters.wallets), "chains": strings(webhook.filters.chains),
        "assets": strings(webhook.filters.assets),
        "min_usd": webhook.filters.minUSD.map(JSONValue.string) ?? .null,
      ],
      "enabled": .bool(webhook.enabled),
      "disabled_reason": webhook.disabledReason.map(JSONValue.string) ?? .null,
      "last_seq": .integer(webhook.cursor), "pending_seq": webhook.pendingSeq.map(JSONValue.integer) ?? .null,
      "attempts": .integer(Int64(webhook.attempts)), "next_attempt_at": date(webhook.nextAttemptAt),
      "failing_since": date(webhook.failingSince), "created_at": .string(webhook.createdAt.iso8601),
      "updated_at": .string(webhook.updatedAt.iso8601),
    ]
  }

  static func json(_ delivery: WebhookDelivery) -> JSONValue {
    [
      "id": .integer(delivery.id), "seq": .integer(delivery.seq), "event_type": .string(delivery.eventType),
      "message_id": .string(delivery.messageID), "attempt": .integer(Int64(delivery.attempt)),
      "attempted_at": .string(delivery.attemptedAt.iso8601),
      "status": delivery.status.map { .integer(Int64($0)) } ?? .null,
      "latency_ms": .integer(delivery.latencyMilliseconds),
      "response": delivery.response.map(JSONValue.string) ?? .null,
      "error": delivery.error.map(JSONValue.string) ?? .null,
    ]
  }
}
