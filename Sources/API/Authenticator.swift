import Foundation
import PortfolioCore
public import Storage
import Synchronization

/// Why a request gets no principal.
enum AuthFailure: Error, Equatable {
  /// No `Authorization` header where one is required.
  case missing
  /// An `Authorization` header that is not `Bearer <token>`.
  case notBearer
  case refused(TokenRefusal)
  /// Tokens are not asked for, but there is no user to act for.
  case noUsers
}

/// Finds who a request acts for: the bearer of its access token, or, where the server does
/// not ask for one, its first user. Tokens checked recently are answered from memory, so a
/// busy client costs one database read every few seconds, not one per request.
public final class Authenticator: Sendable {
  public let required: Bool
  private let tokens: AccessTokenStore
  private let users: UserStore
  private let checked = Mutex<[String: (principal: Principal, at: ContinuousClock.Instant)]>([:])
  private let anonymous = Mutex<(principal: Principal, at: ContinuousClock.Instant)?>(nil)
  private let lastMarked = Mutex<[Int64: ContinuousClock.Instant]>([:])

  /// How long a checked token is trusted without reading it again: the longest a revocation
  /// made outside this process (the command line) takes to apply.
  static let recheckAfter: Duration = .seconds(5)
  /// `last_used_at` is written at most this often per token.
  static let markUsedEvery: Duration = .seconds(60)

  public init(database: AppDatabase, required: Bool) {
    self.required = required
    tokens = AccessTokenStore(database)
    users = UserStore(database)
  }

  /// The principal for an `Authorization` header value (nil when absent).
  func principal(authorization: String?) -> Result<Principal, AuthFailure> {
    guard let authorization else { return required ? .failure(.missing) : anonymousPrincipal() }
    guard let secret = Self.bearerToken(authorization) else { return .failure(.notBearer) }
    return principal(token: secret)
  }

  /// The principal for a token given in a stream's `auth` message.
  func principal(token secret: String) -> Result<Principal, AuthFailure> {
    if let known = recentlyChecked(secret) { return .success(known) }
    do {
      switch try tokens.authenticate(secret) {
      case .success(let principal):
        checked.withLock { checked in
          if checked.count > 10_000 { checked = [:] }
          checked[secret] = (principal, .now)
        }
        markUsed(principal)
        return .success(principal)
      case .failure(let refusal):
        return .failure(.refused(refusal))
      }
    } catch {
      // The database cannot be read: nobody is let in.
      return .failure(.refused(.unknown))
    }
  }

  /// The principal when it is known without reading the database, for answers from memory.
  func principalFromMemory(authorization: String?) -> Principal? {
    guard let authorization else {
      guard !required, let kept = anonymous.withLock({ $0 }),
        ContinuousClock.now - kept.at < Self.recheckAfter
      else { return nil }
      return kept.principal
    }
    return Self.bearerToken(authorization).flatMap(recentlyChecked)
  }

  /// Forgets every token checked, after a revocation or a removal here: they apply at once.
  func forget() {
    checked.withLock { $0 = [:] }
    anonymous.withLock { $0 = nil }
  }

  private func recentlyChecked(_ secret: String) -> Principal? {
    checked.withLock { checked in
      guard let entry = checked[secret] else { return nil }
      let now = ContinuousClock.now
      guard now - entry.at < Self.recheckAfter,
        entry.principal.expiresAt.map({ $0 > Date() }) ?? true
      else {
        checked[secret] = nil
        return nil
      }
      return entry.principal
    }
  }

  private func anonymousPrincipal() -> Result<Principal, AuthFailure> {
    if let kept = anonymous.withLock({ $0 }), ContinuousClock.now - kept.at < Self.recheckAfter {
      return .success(kept.principal)
    }
    guard let first = try? users.firstUser() else { return .failure(.noUsers) }
    let principal = Principal(
      user: first.id, userName: first.name, scope: .admin, tokenID: nil, expiresAt: nil)
    anonymous.withLock { $0 = (principal, .now) }
    return .success(principal)
  }

  private func markUsed(_ principal: Principal) {
    guard let id = principal.tokenID else { return }
    let now = ContinuousClock.now
    let due = lastMarked.withLock { marked in
      if let last = marked[id], now - last < Self.markUsedEvery { return false }
      if marked.count > 10_000 { marked = [:] }
      marked[id] = now
      return true
    }
    if due { try? tokens.markUsed(id: id, at: Date()) }
  }

  /// The token of `Bearer <token>` (the scheme in any case, RFC 6750).
  static func bearerToken(_ header: String) -> String? {
    let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
    let token = parts[1].trimmingCharacters(in: .whitespaces)
    return token.isEmpty ? nil : token
  }
}
