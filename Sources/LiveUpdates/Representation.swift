import Foundation
public import PortfolioCore
public import Storage

/// How wallets, balances and changes look in JSON: in stream frames, and in the REST answers
/// that show the same things. Shapes only REST answers have live in the API module.
public enum Representation {
  public static func wallet(_ wallet: Wallet) -> JSONValue {
    [
      "id": .string(wallet.id.uuidString.lowercased()), "chain": .string(wallet.chain.rawValue),
      "address": .string(wallet.address), "label": wallet.label.map(JSONValue.string) ?? .null,
      "created_at": .string(wallet.createdAt.iso8601), "updated_at": .string(wallet.updatedAt.iso8601),
    ]
  }

  public static func balance(_ balance: StoredBalance) -> JSONValue {
    [
      "asset": .string(balance.symbol), "token": balance.token.map(JSONValue.string) ?? .null,
      "decimals": .integer(Int64(balance.decimals)), "raw": .string(balance.raw.text),
      "amount": .string(balance.raw.formatted(decimals: balance.decimals)),
      "block": balance.block.map(JSONValue.unsigned) ?? .null,
      "updated_at": .string(balance.updatedAt.iso8601),
    ]
  }

  /// One change as the stream and the history endpoint show it.
  public static func change(_ change: BalanceChange) -> JSONValue {
    [
      "seq": .integer(change.seq), "wallet": .string(change.walletID.uuidString.lowercased()),
      "chain": .string(change.chain.rawValue), "asset": .string(change.symbol),
      "token": change.token.map(JSONValue.string) ?? .null, "decimals": .integer(Int64(change.decimals)),
      "old": .string(change.rawOld.formatted(decimals: change.decimals)),
      "new": .string(change.rawNew.formatted(decimals: change.decimals)),
      "raw_old": .string(change.rawOld.text), "raw_new": .string(change.rawNew.text), "usd": .null,
      "block": change.block.map(JSONValue.unsigned) ?? .null, "at": .string(change.at.iso8601),
    ]
  }

}
