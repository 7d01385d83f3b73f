import Foundation
import GRDB
import PortfolioCore

/// A `wallets` row.
struct WalletRecord: Codable, FetchableRecord, PersistableRecord {
  static let databaseTableName = "wallets"

  var id: String
  var chain: String
  var address: String
  var label: String?
  var created_at: Int64
  var updated_at: Int64

  init(_ wallet: Wallet) {
    id = wallet.id.uuidString.lowercased()
    chain = wallet.chain
    address = wallet.address
    label = wallet.label
    created_at = wallet.createdAt.millisecondsSince1970
    updated_at = wallet.updatedAt.millisecondsSince1970
  }

  var wallet: Wallet? {
    guard let uuid = UUID(uuidString: id) else { return nil }
    return Wallet(
      id: uuid, chain: chain, address: address, label: label,
      createdAt: Date(millisecondsSince1970: created_at),
      updatedAt: Date(millisecondsSince1970: updated_at))
  }
}
