import PortfolioCore

/// A wallet as the API shows it; `label` is always present, null when unset.
struct WalletDTO: Encodable {
  let wallet: Wallet

  enum CodingKeys: String, CodingKey {
    case id, chain, address, label
    case createdAt = "created_at"
    case updatedAt = "updated_at"
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(wallet.id.uuidString.lowercased(), forKey: .id)
    try container.encode(wallet.chain, forKey: .chain)
    try container.encode(wallet.address, forKey: .address)
    try container.encode(wallet.label, forKey: .label)
    try container.encode(wallet.createdAt.iso8601, forKey: .createdAt)
    try container.encode(wallet.updatedAt.iso8601, forKey: .updatedAt)
  }
}

/// `GET /api/v1/wallets`: a page of wallets and the cursor for the next one.
struct WalletPageDTO: Encodable {
  let wallets: [WalletDTO]
  let nextCursor: String?

  enum CodingKeys: String, CodingKey {
    case wallets
    case nextCursor = "next_cursor"
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(wallets, forKey: .wallets)
    try container.encode(nextCursor, forKey: .nextCursor)
  }
}
