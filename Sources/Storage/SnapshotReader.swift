public import Foundation
import GRDB
public import PortfolioCore

/// Wallets and balances as of one point of the change log, read in one transaction so the
/// `seq` matches the data exactly.
public struct Snapshot: Sendable {
  public let seq: Int64
  public let wallets: [Wallet]
  public let balances: [UUID: [StoredBalance]]
  /// The current prices, read with the balances.
  public let prices: [AssetKey: StoredPrice]
}

public struct SnapshotReader: Sendable {
  private let database: AppDatabase

  public init(_ database: AppDatabase) {
    self.database = database
  }

  /// The user's wallets, or the one wallet given (an empty snapshot when it does not exist).
  public func snapshot(_ scope: EventScope) throws -> Snapshot {
    try database.pool.read { db in
      let seq = try ChangeLog.lastSeq(db)
      var walletRequest = WalletRecord.order(Column("created_at"), Column("id"))
      var balanceSQL: String
      var arguments: StatementArguments
      switch scope {
      case .wallet(let walletID):
        let key = walletID.uuidString.lowercased()
        walletRequest = walletRequest.filter(Column("id") == key)
        balanceSQL = "SELECT * FROM balances WHERE wallet_id = ?"
        arguments = [key]
      case .user(let owner):
        walletRequest = walletRequest.filter(Column("user_id") == owner)
        balanceSQL =
          "SELECT b.* FROM balances b JOIN wallets w ON w.id = b.wallet_id WHERE w.user_id = ?"
        arguments = [owner]
      }
      balanceSQL += " ORDER BY token = '' DESC, symbol, token"
      let wallets = try walletRequest.fetchAll(db).compactMap(\.wallet)
      var balances: [UUID: [StoredBalance]] = [:]
      for row in try Row.fetchAll(db, sql: balanceSQL, arguments: arguments) {
        guard let id = UUID(uuidString: row["wallet_id"]) else { continue }
        balances[id, default: []].append(try BalanceStore.balance(row, walletID: id))
      }
      return Snapshot(seq: seq, wallets: wallets, balances: balances, prices: try PriceStore.current(db))
    }
  }
}
