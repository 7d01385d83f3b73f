public import Foundation
public import PortfolioCore

/// One entry of the event log, in `seq` order: a balance that moved, or a wallet added or
/// removed. Everything a stream subscriber must not miss is one of these.
public enum FeedEvent: Sendable, Hashable {
  case balance(BalanceChange)
  case walletAdded(seq: Int64, wallet: Wallet)
  /// The wallet as it was when it was removed, and when that was.
  case walletRemoved(seq: Int64, wallet: Wallet, at: Date)
  /// An alert rule fired.
  case alert(FiredAlert)

  public var seq: Int64 {
    switch self {
    case .balance(let change): change.seq
    case .walletAdded(let seq, _), .walletRemoved(let seq, _, _): seq
    case .alert(let alert): alert.seq
    }
  }

  /// The wallet the event is about; nil for an alert.
  public var walletID: UUID? {
    switch self {
    case .balance(let change): change.walletID
    case .walletAdded(_, let wallet), .walletRemoved(_, let wallet, _): wallet.id
    case .alert: nil
    }
  }
}
