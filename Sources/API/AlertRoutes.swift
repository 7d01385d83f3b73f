import Foundation
import LiveUpdates
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/alerts`: the user's alert rules. What they fire goes to the stream (`alert`
/// frames), webhooks and Web Push (`alert.triggered`).
struct AlertRoutes {
  let store: AlertStore
  let wallets: WalletStore
  let now: @Sendable () -> Date

  var routes: [Route] {
    [
      Route(.post, "/api/v1/alerts") { try create($0) },
      Route(.get, "/api/v1/alerts") { context in
        let owner = try context.owner
        let fired = try store.lastFired(owner: owner)
        return JSONResponse.json([
          "alerts": .array(try store.list(owner: owner).map { Self.json($0, lastFired: fired[$0.id]) })
        ])
      },
      Route(.get, "/api/v1/alert-events") { try firedList($0) },
      Route(.get, "/api/v1/alerts/{id}") { context in
        let rule = try find(context)
        return JSONResponse.json(
          Self.json(rule, lastFired: try store.lastFired(owner: try context.owner)[rule.id]))
      },
      Route(.patch, "/api/v1/alerts/{id}") { try update($0) },
      Route(.delete, "/api/v1/alerts/{id}") { context in
        guard try store.delete(id: try Self.ruleID(context), owner: try context.owner) else {
          throw Self.unknownRule(context)
        }
        return HTTPResponse(status: 204)
      },
    ]
  }

  private func create(_ context: RouteContext) throws -> HTTPResponse {
    let body = try JSONBody(context.request)
    try body.allowOnly(["name", "kind", "wallet_id", "asset", "threshold", "percent", "direction"])
    let owner = try context.owner
    let kindText = try body.string("kind")
    guard let kind = AlertKind(rawValue: kindText) else {
      let kinds = AlertKind.allCases.map(\.rawValue).joined(separator: ", ")
      throw APIError.badRequest("The field 'kind' must be one of \(kinds).", field: "kind")
    }
    let name = try Self.name(try body.optionalString("name"))
    var walletID: UUID?
    if let text = try body.optionalString("wallet_id") {
      guard let id = UUID(uuidString: text), try wallets.wallet(id: id, owner: owner) != nil else {
        throw APIError.badRequest("No wallet with id '\(text)'.", field: "wallet_id")
      }
      walletID = id
    }
    let percent = try body.optionalBool("percent") ?? false
    var threshold: String?
    var asset: String?
    var direction: AlertDirection?
    switch kind {
    case .valueAbove, .valueBelow:
      threshold = try Self.decimal(
        try body.optionalString("threshold"), field: "threshold", what: "a USD level")
      guard !percent, !body.has("asset"), !body.has("direction") else {
        throw APIError.badRequest("A value rule takes wallet_id (or none) and threshold only.", field: "kind")
      }
    case .balanceChange:
      guard let given = try body.optionalString("asset"), !given.isEmpty, given.count <= 64 else {
        throw APIError.badRequest("The field 'asset' is required: a symbol or token address.", field: "asset")
      }
      asset = given
      threshold = try Self.decimal(
        try body.optionalString("threshold"), field: "threshold",
        what: percent ? "a percent" : "an amount of the asset")
    case .activity:
      if let text = try body.optionalString("direction") {
        guard let value = AlertDirection(rawValue: text) else {
          throw APIError.badRequest(
            "The field 'direction' must be incoming, outgoing or any.", field: "direction")
        }
        direction = value
      }
      direction = direction ?? .any
    }
    let rule = try store.create(
      AlertRule(
        owner: owner, name: name, kind: kind, walletID: walletID, asset: asset, threshold: threshold,
        percent: percent, direction: direction, at: now()))
    return JSONResponse.json(
      Self.json(rule), status: 201,
      headers: [("location", "/api/v1/alerts/\(rule.id.uuidString.lowercased())")])
  }

  private func update(_ context: RouteContext) throws -> HTTPResponse {
    let body = try JSONBody(context.request)
    try body.allowOnly(["name", "enabled"])
    let name = try Self.name(try body.optionalString("name"))
    let enabled = try body.optionalBool("enabled")
    guard
      let rule = try store.update(
        id: try Self.ruleID(context), owner: try context.owner, at: now(),
        { rule in
          if body.has("name") { rule.name = name }
          if let enabled { rule.enabled = enabled }
        })
    else { throw Self.unknownRule(context) }
    return JSONResponse.json(
      Self.json(rule, lastFired: try store.lastFired(owner: try context.owner)[rule.id]))
  }

  private func find(_ context: RouteContext) throws -> AlertRule {
    guard let rule = try store.rule(id: try Self.ruleID(context), owner: try context.owner) else {
      throw Self.unknownRule(context)
    }
    return rule
  }

  static func name(_ text: String?) throws(APIError) -> String? {
    guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
      return nil
    }
    guard trimmed.count <= 100 else {
      throw .badRequest("The field 'name' is longer than 100 characters.", field: "name")
    }
    return trimmed
  }

  /// A positive decimal number as text, exactly as given.
  static func decimal(_ text: String?, field: String, what: String) throws(APIError) -> String {
    guard let text, !text.isEmpty, text.count <= 40, text.allSatisfy({ "0123456789.".contains($0) }),
      text.filter({ $0 == "." }).count <= 1, let value = Decimal(string: text), value > 0
    else {
      throw .badRequest(
        "The field '\(field)' must be \(what): a positive decimal number as a string.", field: field)
    }
    return text
  }

  static func ruleID(_ context: RouteContext) throws(APIError) -> UUID {
    try context.uuid(orElse: unknownRule(context))
  }

  static func unknownRule(_ context: RouteContext) -> APIError {
    .notFound("No alert rule with id '\(context.parameters["id"] ?? "")'.")
  }

  static let defaultFiredPage = 50
  static let maxFiredPage = 500

  /// The alerts the user's rules fired, newest first, in pages.
  private func firedList(_ context: RouteContext) throws -> HTTPResponse {
    let request = context.request
    let limit = try request.pageLimit(standard: Self.defaultFiredPage, maximum: Self.maxFiredPage)
    var before: Int64?
    if let text = request.queryValue("before") {
      guard let value = Int64(text), value > 0 else {
        throw APIError.badRequest(
          "The query parameter 'before' must be a seq from an earlier page.", field: "before")
      }
      before = value
    }
    var rule: UUID?
    if let text = request.queryValue("rule_id") {
      guard let id = UUID(uuidString: text) else {
        throw APIError.badRequest(
          "The query parameter 'rule_id' must be an alert rule's id.", field: "rule_id")
      }
      rule = id
    }
    let page = try store.fired(owner: try context.owner, rule: rule, before: before, limit: limit + 1)
    let shown = page.prefix(limit)
    return JSONResponse.json([
      "fired": .array(shown.map(Representation.firedAlert)),
      "next_before": page.count > limit ? shown.last.map { .integer($0.seq) } ?? .null : .null,
    ])
  }

  static func json(_ rule: AlertRule, lastFired: Date? = nil) -> JSONValue {
    [
      "id": .string(rule.id.uuidString.lowercased()), "name": rule.name.map(JSONValue.string) ?? .null,
      "kind": .string(rule.kind.rawValue),
      "wallet_id": rule.walletID.map { .string($0.uuidString.lowercased()) } ?? .null,
      "asset": rule.asset.map(JSONValue.string) ?? .null,
      "threshold": rule.threshold.map(JSONValue.string) ?? .null,
      "percent": .bool(rule.percent), "direction": rule.direction.map { .string($0.rawValue) } ?? .null,
      "enabled": .bool(rule.enabled), "created_at": .string(rule.createdAt.iso8601),
      "updated_at": .string(rule.updatedAt.iso8601),
      "beyond": rule.beyond.map(JSONValue.bool) ?? .null,
      "last_fired_at": lastFired.map { .string($0.iso8601) } ?? .null,
    ]
  }
}
