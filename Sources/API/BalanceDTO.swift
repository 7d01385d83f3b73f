import Foundation
import PortfolioCore
import Storage

/// One balance: exact base units and the amount formatted by the token's decimals, both as
/// decimal strings.
struct BalanceDTO: Encodable {
  let balance: StoredBalance

  enum CodingKeys: String, CodingKey {
    case asset, token, decimals, raw, amount, block
    case updatedAt = "updated_at"
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(balance.symbol, forKey: .asset)
    try container.encode(balance.token, forKey: .token)
    try container.encode(balance.decimals, forKey: .decimals)
    try container.encode(balance.raw, forKey: .raw)
    let amount = UInt256Text.parse(balance.raw).map {
      TokenAmount.format(raw: $0, decimals: balance.decimals)
    }
    try container.encode(amount ?? balance.raw, forKey: .amount)
    try container.encode(balance.block, forKey: .block)
    try container.encode(balance.updatedAt.iso8601, forKey: .updatedAt)
  }
}

/// `GET /api/v1/wallets/{id}/balances` and the answer to a fetch.
struct WalletBalancesDTO: Encodable {
  let wallet: Wallet
  let balances: [StoredBalance]

  enum CodingKeys: String, CodingKey {
    case walletID = "wallet_id"
    case chain, address, balances
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(wallet.id.uuidString.lowercased(), forKey: .walletID)
    try container.encode(wallet.chain, forKey: .chain)
    try container.encode(wallet.address, forKey: .address)
    try container.encode(balances.map(BalanceDTO.init), forKey: .balances)
  }
}

/// A token in `/api/v1/tokens`.
struct TokenDTO: Encodable {
  let token: TrackedToken

  enum CodingKeys: String, CodingKey { case chain, address, symbol, decimals, source }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(token.chain, forKey: .chain)
    try container.encode(token.address, forKey: .address)
    try container.encode(token.symbol, forKey: .symbol)
    try container.encode(token.decimals, forKey: .decimals)
    try container.encode(token.source.rawValue, forKey: .source)
  }
}
