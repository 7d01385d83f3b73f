public import Foundation
public import PortfolioCore

/// Someone with wallets on this server.
public struct User: Sendable, Hashable {
  public let id: UserID
  public let name: String
  public let createdAt: Date

  /// 1 to 64 letters, digits, `.`, `_`, `-` or `@`: a name that is safe in a shell, a URL and a
  /// log line. Compared without regard to case.
  public static func isValidName(_ name: String) -> Bool {
    (1...64).contains(name.count)
      && name.unicodeScalars.allSatisfy { scalar in
        scalar.isASCII
          && (CharacterSet.alphanumerics.contains(scalar) || "._-@".unicodeScalars.contains(scalar))
      }
  }
}

/// A user name that is taken already (names are compared without regard to case).
public struct UserExists: Error, Sendable, CustomStringConvertible {
  public let name: String
  public var description: String { "a user named \(name) exists already" }
}

/// A user name outside the rules of `User.isValidName`.
public struct InvalidUserName: Error, Sendable, CustomStringConvertible {
  public let name: String
  public var description: String {
    "\"\(name.prefix(80))\" is not a valid user name: use 1 to 64 letters, digits, '.', '_', '-' or '@'"
  }
}
