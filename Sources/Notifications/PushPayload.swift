import Foundation
import PortfolioCore
import Storage

/// What a phone or browser shows for an event: a short title and body, the page to open, and
/// the event's `seq`, as JSON well under Web Push's 4 KiB.
enum PushPayload {
  static func json(for event: WebhookEvent) -> [UInt8] {
    let (title, body) = text(for: event)
    let payload: JSONValue = [
      "title": .string(String(title.prefix(120))), "body": .string(String(body.prefix(400))), "url": "/",
      "seq": .integer(event.seq), "type": .string(event.type.rawValue),
    ]
    return payload.jsonBytes
  }

  static func text(for event: WebhookEvent) -> (title: String, body: String) {
    guard case .object(let data) = event.data else { return (event.type.rawValue, "") }
    func string(_ key: String) -> String? { if case .string(let text)? = data[key] { text } else { nil } }
    switch event.type {
    case .balanceChanged:
      let asset = string("asset") ?? "A balance"
      let old = string("old").flatMap { Decimal(string: $0) } ?? 0
      let new = string("new").flatMap { Decimal(string: $0) } ?? 0
      let moved = new >= old ? "received" : "sent"
      let usd = string("usd_delta").map { " ($\($0.hasPrefix("-") ? String($0.dropFirst()) : $0))" } ?? ""
      let chain = string("chain") ?? ""
      return (
        "\(asset) \(moved)", "\(string("old") ?? "?") → \(string("new") ?? "?") \(asset) on \(chain)\(usd)"
      )
    case .walletAdded, .walletRemoved:
      var address = "a wallet"
      if case .object(let wallet)? = data["wallet"], case .string(let text)? = wallet["address"] {
        address = text
      }
      return (event.type == .walletAdded ? "Wallet added" : "Wallet removed", address)
    case .valueChanged:
      var total = "?"
      if case .object(let value)? = data["value"], case .string(let usd)? = value["usd"] { total = "$" + usd }
      return ("Prices moved", "Your portfolio is worth \(total)")
    case .alertTriggered:
      return (string("title") ?? "Alert", string("message") ?? "")
    }
  }
}
