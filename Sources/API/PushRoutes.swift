import Foundation
import Notifications
import PortfolioCore
import PushCrypto
import Storage
import WebServer

/// `/api/v1/push/…`: browsers and phones subscribe to Web Push (RFC 8030, 8291, 8292) with the
/// server's VAPID key and are sent the user's events they chose, alerts by default.
struct PushRoutes {
  let store: WebhookStore
  let dispatcher: WebhookDispatcher
  let chains: Set<ChainName>
  let now: @Sendable () -> Date

  /// A phone should not buzz at every balance change: alerts only, unless asked.
  static let defaultEventTypes: Set<WebhookEventType> = [.alertTriggered]

  var routes: [Route] {
    [
      Route(.get, "/api/v1/push/vapid-public-key") { _ in
        JSONResponse.json(["public_key": .string(dispatcher.vapidPublicKey)])
      },
      Route(.post, "/api/v1/push/subscriptions") { try subscribe($0) },
      Route(.get, "/api/v1/push/subscriptions") { context in
        let list = try store.list(owner: try context.owner, kind: .webpush)
        return JSONResponse.json(["subscriptions": .array(list.map(Self.json))])
      },
      Route(.delete, "/api/v1/push/subscriptions/{id}") { try unsubscribe($0) },
    ]
  }

  private func subscribe(_ context: RouteContext) throws -> HTTPResponse {
    let body = try JSONBody(context.request)
    try body.allowOnly(["endpoint", "expirationTime", "keys", "event_types", "filters"])
    let endpointText = try body.string("endpoint")
    do {
      _ = try PushEndpoint.parse(endpointText, allowingInsecure: dispatcher.settings.allowPrivateTargets)
    } catch {
      throw APIError.badRequest(
        "The field 'endpoint' must be the subscription's https URL: \(error).", field: "endpoint")
    }
    guard let keysBody = try body.optionalObject("keys") else {
      throw APIError.badRequest(
        "The field 'keys' is required: {p256dh, auth} from the subscription.", field: "keys")
    }
    let keys = PushKeys(p256dh: try keysBody.string("p256dh"), auth: try keysBody.string("auth"))
    do {
      _ = try PushSubscriptionKeys(p256dh: keys.p256dh, auth: keys.auth)
    } catch {
      throw APIError.badRequest("The subscription's keys are not valid: \(error).", field: "keys")
    }
    let types =
      body.has("event_types")
      ? try WebhookInput.eventTypes(try body.optionalStrings("event_types")) : Self.defaultEventTypes
    let filters = try WebhookInput.filters(try body.optionalObject("filters"), chains: chains)
    let endpoint = try WebhookInput(allowPrivateTargets: dispatcher.settings.allowPrivateTargets).url(
      endpointText)
    let owner = try context.owner
    // A browser has one push subscription whoever signs in: another user's with the same
    // endpoint goes, or that browser would be sent both users' events.
    try store.removeEndpoint(endpoint, kind: .webpush, exceptOwner: owner)
    // A browser subscribing again (new keys, same endpoint) replaces its subscription.
    if let existing = try store.list(owner: owner, kind: .webpush).first(where: { $0.url == endpoint }),
      let updated = try store.update(
        id: existing.id, owner: owner, kind: .webpush, at: now(),
        { subscription in
          subscription.pushKeys = keys
          subscription.eventTypes = types
          subscription.filters = filters
          subscription.enabled = true
          subscription.disabledReason = nil
        })
    {
      dispatcher.webhooksChanged(updated.id)
      return JSONResponse.json(Self.json(updated))
    }
    let time = now()
    let subscription = try store.create { cursor in
      Webhook(
        owner: owner, kind: .webpush, url: endpoint, pushKeys: keys, description: nil, eventTypes: types,
        filters: filters, secret: "", cursor: cursor, at: time)
    }
    dispatcher.webhooksChanged(subscription.id)
    return JSONResponse.json(
      Self.json(subscription), status: 201,
      headers: [("location", "/api/v1/push/subscriptions/\(subscription.id.uuidString.lowercased())")])
  }

  private func unsubscribe(_ context: RouteContext) throws -> HTTPResponse {
    let unknown = APIError.notFound("No push subscription with id '\(context.parameters["id"] ?? "")'.")
    let id = try context.uuid(orElse: unknown)
    guard try store.delete(id: id, owner: try context.owner, kind: .webpush) else { throw unknown }
    dispatcher.webhooksChanged(id)
    return HTTPResponse(status: 204)
  }

  static func json(_ subscription: Webhook) -> JSONValue {
    var fields = WebhookRoutes.fields(subscription)
    fields["endpoint"] = fields.removeValue(forKey: "url")
    return .object(fields)
  }
}
