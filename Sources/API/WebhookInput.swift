import CurlHTTP
import Foundation
import PortfolioCore
import Storage

/// A webhook's fields as a client gives them, checked.
struct WebhookInput {
  let allowPrivateTargets: Bool

  static let maxURLLength = 2048
  static let maxDescriptionLength = 200

  /// An http(s) URL whose host resolves to public addresses (unless private ones are allowed).
  func url(_ text: String) throws(APIError) -> String {
    let host = try Self.checkForm(text)
    guard !allowPrivateTargets else { return text }
    switch PublicAddress.check(host: host) {
    case .isPublic:
      return text
    case .isPrivate(let address):
      throw APIError(
        .init(
          status: 422, title: "Unprocessable Content",
          detail:
            "The URL's host \(host) resolves to \(address), which is not a public address; webhooks reach "
            + "the internet only (notifications.allow_private_targets lets them reach private networks).",
          extensions: ["field": .string("url")]))
    case .unresolvable(let reason):
      throw APIError(
        .init(
          status: 422, title: "Unprocessable Content",
          detail: "The URL's host \(host) does not resolve: \(reason).",
          extensions: ["field": .string("url")]))
    }
  }

  /// The host of an http(s) URL of a sensible length, or a 400.
  @discardableResult
  static func checkForm(_ text: String) throws(APIError) -> String {
    guard text.count <= maxURLLength, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
      scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
    else {
      throw .badRequest(
        "The field 'url' must be an http:// or https:// URL with a host, at most \(maxURLLength) characters.",
        field: "url")
    }
    return host
  }

  static func description(_ text: String?) throws(APIError) -> String? {
    guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
      return nil
    }
    guard trimmed.count <= maxDescriptionLength else {
      throw .badRequest(
        "The field 'description' is longer than \(maxDescriptionLength) characters.", field: "description")
    }
    return trimmed
  }

  /// The types named; none named (or the field absent) means every type, but an empty list
  /// would send nothing and is refused.
  static func eventTypes(_ names: [String]?) throws(APIError) -> Set<WebhookEventType> {
    if let names, names.isEmpty {
      throw .badRequest(
        "The field 'event_types' must name at least one type, or be left out for every type.",
        field: "event_types")
    }
    var types: Set<WebhookEventType> = []
    for name in names ?? [] {
      guard let type = WebhookEventType(rawValue: name) else {
        let known = WebhookEventType.allCases.map(\.rawValue).joined(separator: ", ")
        throw .badRequest("Unknown event type '\(name)'; types are \(known).", field: "event_types")
      }
      types.insert(type)
    }
    return types
  }

  static func filters(_ body: JSONBody?, chains: Set<ChainName>) throws(APIError) -> WebhookFilters {
    guard let body else { return WebhookFilters() }
    try body.allowOnly(["wallets", "chains", "assets", "min_usd"])
    let wallets = try body.optionalStrings("wallets")
    for id in wallets ?? [] where UUID(uuidString: id) == nil {
      throw .badRequest("'\(id)' in filters.wallets is not a wallet id.", field: "filters.wallets")
    }
    let chainNames = try body.optionalStrings("chains")
    for name in chainNames ?? [] where !chains.contains(ChainName(parsing: name)) {
      throw .badRequest("Unknown chain '\(name)' in filters.chains.", field: "filters.chains")
    }
    let minimum = try body.optionalString("min_usd")
    if let minimum,
      Decimal(string: minimum) == nil || minimum.contains(where: { !"0123456789.".contains($0) })
    {
      throw .badRequest(
        "filters.min_usd must be a decimal number of US dollars, as \"10.50\".", field: "filters.min_usd")
    }
    return WebhookFilters(
      wallets: wallets?.map { $0.lowercased() }, chains: chainNames?.map { ChainName(parsing: $0).rawValue },
      assets: try body.optionalStrings("assets"), minUSD: minimum)
  }
}
