public import Foundation
public import PortfolioCore

/// An asset's price as the server keeps it.
public struct StoredPrice: Sendable, Hashable {
  public var asset: AssetKey
  public var price: USDPrice
  public var source: PriceSourceKind
  /// When the source says the price was true.
  public var sourceAt: Date
  /// When the server took it.
  public var at: Date

  public init(asset: AssetKey, price: USDPrice, source: PriceSourceKind, sourceAt: Date, at: Date) {
    self.asset = asset
    self.price = price
    self.source = source
    self.sourceAt = sourceAt
    self.at = at
  }
}

/// An asset's price that moved in one write: from `old` to `new` (nil: not priced).
public struct PriceMove: Sendable, Hashable {
  public var asset: AssetKey
  public var old: USDPrice?
  public var new: StoredPrice?
  /// Whether the move went past the push threshold since the last price pushed for the asset,
  /// so subscribers are told.
  public var pushed: Bool
}

/// What one write of prices did: the moves, and the `seq` the pushed ones took in the log.
public struct PriceWrite: Sendable {
  public var moves: [PriceMove]
  public var seq: Int64?

  public var pushedMoves: [PriceMove] { moves.filter(\.pushed) }
}

/// An asset's price at the end of one hour; nil where it stopped being priced.
public struct PriceClose: Sendable, Hashable {
  /// Hours since 1970, UTC.
  public var hour: Int64
  public var price: USDPrice?
}

/// One asset's price at the end of each hour of a range, like `AssetCloses` for amounts.
public struct PriceCloses: Sendable, Hashable {
  /// The price when the range begins; nil when it had none.
  public var opening: USDPrice?
  /// Hours in the range where the price moved, oldest first.
  public var closes: [PriceClose]
}
