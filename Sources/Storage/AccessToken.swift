public import Foundation
public import PortfolioCore

/// An access token as listed: everything but the secret, which is never stored.
public struct AccessToken: Sendable, Hashable {
  public let id: Int64
  public let user: UserID
  public let userName: String
  public let name: String?
  public let scope: AccessScope
  /// The token's first characters, shown so a user can tell their tokens apart.
  public let prefix: String
  public let createdAt: Date
  public let expiresAt: Date?
  public let lastUsedAt: Date?
  public let revokedAt: Date?

  /// Usable now: neither revoked nor expired.
  public func isActive(at time: Date) -> Bool {
    revokedAt == nil && (expiresAt.map { $0 > time } ?? true)
  }
}

/// A token just made: its secret is shown this once.
public struct IssuedToken: Sendable {
  public let token: AccessToken
  public let secret: String
}

/// Who a request acts for, and what they may do.
public struct Principal: Sendable, Hashable {
  public let user: UserID
  public let userName: String
  public let scope: AccessScope
  /// The token presented; nil where the server does not ask who is calling.
  public let tokenID: Int64?
  /// When the token stops working.
  public let expiresAt: Date?

  public init(user: UserID, userName: String, scope: AccessScope, tokenID: Int64?, expiresAt: Date?) {
    self.user = user
    self.userName = userName
    self.scope = scope
    self.tokenID = tokenID
    self.expiresAt = expiresAt
  }
}

/// Why a presented token does not let its bearer in.
public enum TokenRefusal: Error, Sendable, Hashable, CustomStringConvertible {
  case malformed
  case unknown
  case expired
  case revoked

  public var description: String {
    switch self {
    case .malformed: "the token is not one this server issues (cpt_ and 43 more characters)"
    case .unknown: "the token is not known to this server"
    case .expired: "the token has expired"
    case .revoked: "the token was revoked"
    }
  }
}
