public import Foundation
public import PortfolioCore
public import Storage

/// One event of a user's log as a webhook sends it.
public struct WebhookEvent: Sendable {
  public let seq: Int64
  public let type: WebhookEventType
  /// When it happened.
  public let at: Date
  /// The message's `data`.
  public let data: JSONValue
  /// What filters look at.
  let walletID: UUID?
  let chain: ChainName?
  /// Lower-case asset symbols and token addresses.
  let assets: [String]
  /// The change's own value in USD, where priced.
  let usdDelta: Decimal?

  /// Whether the webhook wants this event, by type and filters.
  public func isWanted(by webhook: Webhook) -> Bool {
    guard webhook.wants(type) else { return false }
    let filters = webhook.filters
    if let wallets = filters.wallets, !wallets.isEmpty {
      guard let walletID, wallets.contains(walletID.uuidString.lowercased()) else { return false }
    }
    if let chains = filters.chains, !chains.isEmpty {
      guard let chain, chains.contains(chain.rawValue) else { return false }
    }
    if let wanted = filters.assets, !wanted.isEmpty, type == .balanceChanged {
      guard assets.contains(where: { asset in wanted.contains { $0.lowercased() == asset } }) else {
        return false
      }
    }
    if let text = filters.minUSD, let minimum = Decimal(string: text), type == .balanceChanged, let usdDelta {
      guard abs(usdDelta) >= minimum else { return false }
    }
    return true
  }
}
