public import Foundation

/// What `/api/v1/health` shows per chain of its reads; `ChainHealth` says whether it is well.
public struct ChainStatus: Sendable, Equatable {
  /// The last full read of every wallet.
  public var lastSuccess: Date?
  /// The latest block (or slot) the head check saw.
  public var head: UInt64?
  /// The block (or slot) the last full read was pinned to.
  public var readAt: UInt64?
  /// How long the last full read of every wallet took, in seconds.
  public var lastReadSeconds: Double?
  /// Polls failed in a row, for the poller's backoff.
  public var consecutiveFailures = 0
  public var wallets = 0

  public init() {}
}
