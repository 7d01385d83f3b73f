import Foundation

/// How a chain's addresses and balances work.
public enum ChainFamily: String, Sendable, Hashable, CaseIterable {
  case evm
  case solana
}

/// A chain's name as the API, the configuration and the database spell it: lower case
/// (`ethereum`, `solana`, `polygon`, ...). A type of its own, so a chain is never mistaken for
/// an address, a symbol or any other string.
public struct ChainName: RawRepresentable, Sendable, Hashable, Comparable, CustomStringConvertible,
  ExpressibleByStringLiteral, Codable
{
  public let rawValue: String

  public init(rawValue: String) {
    self.rawValue = rawValue
  }

  public init(stringLiteral value: String) {
    self.init(rawValue: value)
  }

  /// The name a person typed: trimmed and in lower case.
  public init(parsing text: String) {
    self.init(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
  }

  public var description: String { rawValue }

  public static func < (left: ChainName, right: ChainName) -> Bool { left.rawValue < right.rawValue }
}

/// A chain the server tracks.
public struct Chain: Sendable, Hashable, CustomStringConvertible {
  public let name: ChainName
  public let family: ChainFamily

  public init(name: ChainName, family: ChainFamily) {
    self.name = name
    self.family = family
  }

  public var description: String { name.rawValue }
}
