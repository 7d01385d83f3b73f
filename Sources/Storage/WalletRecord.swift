import Foundation
import GRDB
import PortfolioCore

/// A `wallets` row.
struct WalletRecord: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "wallets"

  var id: String
  var owner: UserID
  var chain: ChainName
  var address: String
  var label: String?
  var createdAt: Int64
  var updatedAt: Int64

  enum CodingKeys: String, CodingKey {
    case id, chain, address, label
    case owner = "user_id"
    case createdAt = "created_at"
    case updatedAt = "updated_at"
  }

  init(_ wallet: Wallet) {
    id = wallet.id.uuidString.lowercased()
    owner = wallet.owner
    chain = wallet.chain
    address = wallet.address
    label = wallet.label
    createdAt = wallet.createdAt.millisecondsSince1970
    updatedAt = wallet.updatedAt.millisecondsSince1970
  }

  var wallet: Wallet? {
    guard let uuid = UUID(uuidString: id) else { return nil }
    return Wallet(
      id: uuid, owner: owner, chain: chain, address: address, label: label,
      createdAt: Date(millisecondsSince1970: createdAt),
      updatedAt: Date(millisecondsSince1970: updatedAt))
  }
}
