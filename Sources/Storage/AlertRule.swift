public import Foundation
public import PortfolioCore

/// What an alert rule watches.
public enum AlertKind: String, Sendable, Hashable, CaseIterable {
  /// The USD value of a wallet, or of the portfolio, rising above the threshold.
  case valueAbove = "value_above"
  /// ... or falling below it.
  case valueBelow = "value_below"
  /// One asset's balance moving by at least the threshold (an amount, or a percent).
  case balanceChange = "balance_change"
  /// Any incoming or outgoing change of a wallet's balances.
  case activity
}

/// Which way a balance moved, for activity rules.
public enum AlertDirection: String, Sendable, Hashable, CaseIterable {
  case incoming
  case outgoing
  case any
}

/// A user's rule; it fires once per crossing (value rules re-arm when the value goes back).
public struct AlertRule: Sendable, Hashable {
  public let id: UUID
  public var owner: UserID
  public var name: String?
  public var kind: AlertKind
  /// nil: the whole portfolio (value rules) or any wallet of the user.
  public var walletID: UUID?
  /// A symbol or token address, for balance rules.
  public var asset: String?
  /// A decimal: USD for value rules, the asset's amount or a percent for balance rules.
  public var threshold: String?
  public var percent: Bool
  public var direction: AlertDirection?
  public var enabled: Bool
  /// Value rules: whether the value was past the level when last looked at.
  public var beyond: Bool?
  public var createdAt: Date
  public var updatedAt: Date

  public init(
    id: UUID = UUID(), owner: UserID, name: String?, kind: AlertKind, walletID: UUID?, asset: String?,
    threshold: String?, percent: Bool, direction: AlertDirection?, at time: Date
  ) {
    self.id = id
    self.owner = owner
    self.name = name
    self.kind = kind
    self.walletID = walletID
    self.asset = asset
    self.threshold = threshold
    self.percent = percent
    self.direction = direction
    enabled = true
    beyond = nil
    createdAt = time
    updatedAt = time
  }
}

/// An alert a rule fired: an event of its user's log.
public struct FiredAlert: Sendable, Hashable {
  public var seq: Int64
  public var owner: UserID
  public var ruleID: UUID
  public var title: String
  public var message: String
  /// What the rule saw: the value, the change.
  public var data: JSONValue
  public var at: Date

  public init(
    seq: Int64, owner: UserID, ruleID: UUID, title: String, message: String, data: JSONValue, at: Date
  ) {
    self.seq = seq
    self.owner = owner
    self.ruleID = ruleID
    self.title = title
    self.message = message
    self.data = data
    self.at = at
  }
}
