/// A user of the server: every wallet, and everything read from it, belongs to one.
public struct UserID: RawRepresentable, Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
  public let rawValue: Int64

  public init(rawValue: Int64) {
    self.rawValue = rawValue
  }

  public init(_ rawValue: Int64) {
    self.rawValue = rawValue
  }

  /// The user the schema makes first: wallets from before users existed are theirs, and
  /// requests are theirs where the server does not ask who is calling.
  public static let first = UserID(1)

  public static func < (left: UserID, right: UserID) -> Bool { left.rawValue < right.rawValue }

  public var description: String { String(rawValue) }
}

/// What an access token allows, each level including the ones before it.
public enum AccessScope: String, Sendable, Hashable, Comparable, CaseIterable {
  /// Reading: GET and HEAD.
  case read
  /// Reading and changing one's own wallets, tokens and history.
  case write
  /// All of that, and managing users and access tokens.
  case admin

  private var rank: Int {
    switch self {
    case .read: 0
    case .write: 1
    case .admin: 2
    }
  }

  public static func < (left: AccessScope, right: AccessScope) -> Bool { left.rank < right.rank }
}
