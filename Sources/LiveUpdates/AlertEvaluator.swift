import Foundation
import PortfolioCore
import Storage

/// Decides, inside the transaction that stores balances or prices, which alert rules fire, and
/// logs their alerts in that transaction: an alert is an event of the log like the change
/// that caused it, never lost between the two. Value rules fire once per crossing: a rule
/// remembers which side of its level the value was on, and fires only when that flips to past.
enum AlertEvaluator {
  /// Balance and activity rules of the changes' owners, and their value rules.
  static func afterChanges(_ changes: [BalanceChange], in transaction: EventTransaction) throws -> [FeedEvent]
  {
    guard !changes.isEmpty else { return [] }
    let rules = try transaction.alertRules(of: Set(changes.map(\.owner)))
    guard !rules.isEmpty else { return [] }
    var events: [FeedEvent] = []
    let now = Date()
    for rule in rules where rule.kind == .activity || rule.kind == .balanceChange {
      for change in changes
      where change.owner == rule.owner && (rule.walletID == nil || rule.walletID == change.walletID) {
        guard let (title, message) = Self.fires(rule, on: change) else { continue }
        events.append(
          try transaction.logAlert(
            owner: rule.owner, rule: rule.id, title: title, message: message,
            data: [
              "rule_id": .string(rule.id.uuidString.lowercased()), "kind": .string(rule.kind.rawValue),
              "change": Representation.change(change, price: nil),
            ], at: now))
      }
    }
    events += try values(
      rules.filter { $0.kind == .valueAbove || $0.kind == .valueBelow }, in: transaction, at: now)
    return events
  }

  /// Every user's value rules, after prices moved.
  static func afterPrices(in transaction: EventTransaction) throws -> [FeedEvent] {
    try values(try transaction.alertRules(of: nil), in: transaction, at: Date())
  }

  /// Whether a balance or activity rule fires on a change, with its title and message.
  static func fires(_ rule: AlertRule, on change: BalanceChange) -> (String, String)? {
    let incoming = change.rawNew.value > change.rawOld.value
    let old = Decimal(string: change.rawOld.formatted(decimals: change.decimals)) ?? 0
    let new = Decimal(string: change.rawNew.formatted(decimals: change.decimals)) ?? 0
    let moved = abs(new - old)
    let label = rule.name ?? "\(change.symbol) on \(change.chain)"
    switch rule.kind {
    case .activity:
      let direction = rule.direction ?? .any
      guard direction == .any || (direction == .incoming) == incoming else { return nil }
      return (
        "\(change.symbol) \(incoming ? "received" : "sent")",
        "\(label): \(change.rawOld.formatted(decimals: change.decimals)) → \(change.rawNew.formatted(decimals: change.decimals))"
      )
    case .balanceChange:
      guard let asset = rule.asset?.lowercased(),
        asset == change.symbol.lowercased() || asset == change.token?.lowercased(),
        let threshold = rule.threshold.flatMap({ Decimal(string: $0) })
      else { return nil }
      let size = rule.percent ? (old == 0 ? Decimal.greatestFiniteMagnitude : moved / old * 100) : moved
      guard size >= threshold else { return nil }
      return (
        "\(change.symbol) moved by \(rule.percent ? "\(threshold)%" : "\(moved)")",
        "\(label): \(change.rawOld.formatted(decimals: change.decimals)) → \(change.rawNew.formatted(decimals: change.decimals))"
      )
    case .valueAbove, .valueBelow:
      return nil
    }
  }

  /// Value rules: the value now against the level, and the side it was on before.
  private static func values(_ rules: [AlertRule], in transaction: EventTransaction, at now: Date) throws
    -> [FeedEvent]
  {
    guard !rules.isEmpty else { return [] }
    let prices = try transaction.currentPrices()
    var events: [FeedEvent] = []
    var portfolios: [UserID: Decimal?] = [:]
    for rule in rules {
      guard let threshold = rule.threshold.flatMap({ Decimal(string: $0) }) else { continue }
      let value: Decimal?
      if let walletID = rule.walletID {
        let wallet = try transaction.balances(ofWallets: [walletID])[walletID]
        value = wallet.flatMap { usd(Valuation.wallet($0.balances, chain: $0.chain, prices: prices)["usd"]) }
      } else if let known = portfolios[rule.owner] {
        value = known
      } else {
        let data = PortfolioSummary.valueData(try transaction.assetTotals(owner: rule.owner), prices: prices)
        if case .object(let summary)? = data["value"] { value = usd(summary["usd"]) } else { value = nil }
        portfolios[rule.owner] = value
      }
      // Nothing priced: nothing to compare, and the side stays as it was.
      guard let value else { continue }
      let beyond = rule.kind == .valueAbove ? value > threshold : value < threshold
      guard beyond != rule.beyond else { continue }
      try transaction.setAlertState(rule.id, beyond: beyond)
      // The first look only learns the side: a rule fires on a crossing after it was made.
      guard beyond, rule.beyond != nil else { continue }
      let what = rule.name ?? (rule.walletID == nil ? "Portfolio" : "Wallet")
      let side = rule.kind == .valueAbove ? "above" : "below"
      events.append(
        try transaction.logAlert(
          owner: rule.owner, rule: rule.id, title: "\(what) \(side) $\(threshold)",
          message: "\(what) is worth $\(value), \(side) $\(threshold).",
          data: [
            "rule_id": .string(rule.id.uuidString.lowercased()), "kind": .string(rule.kind.rawValue),
            "usd": .string("\(value)"), "threshold": .string("\(threshold)"),
            "wallet_id": rule.walletID.map { .string($0.uuidString.lowercased()) } ?? .null,
          ], at: now))
    }
    return events
  }

  private static func usd(_ value: JSONValue?) -> Decimal? {
    if case .string(let text)? = value { Decimal(string: text) } else { nil }
  }
}
