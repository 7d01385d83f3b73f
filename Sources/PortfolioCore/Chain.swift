/// How a chain's addresses and balances work.
public enum ChainFamily: String, Sendable, Hashable, CaseIterable {
  case evm
  case solana
}

/// A chain the server tracks, named in lower case (`ethereum`, `solana`, `polygon`, ...).
public struct Chain: Sendable, Hashable, CustomStringConvertible {
  public let name: String
  public let family: ChainFamily

  public init(name: String, family: ChainFamily) {
    self.name = name
    self.family = family
  }

  public var description: String { name }
}
