import Foundation
import Synchronization

/// Signed VAPID authorizations by audience (a push service's origin), reused until shortly
/// before they expire: one ES256 signature per origin every few hours, not one per message.
/// Shared by every copy of the builder that made it, and safe to use from any thread.
final class VAPIDTokenCache: Sendable {
  struct Entry: Sendable {
    /// The `Authorization` header value.
    let value: String
    /// The token's `exp`, in seconds since 1970.
    let expiresAt: Int64
  }

  /// A token with less than this left is replaced, so none reaches a push service about to
  /// lapse (or, by a clock a little ahead, lapsed).
  let renewalMargin: TimeInterval
  /// The longest a token may be valid: one from a clock since set back is not used.
  let lifetime: TimeInterval
  private let entries = Mutex<[String: Entry]>([:])
  /// Push services are few; the bound only keeps many origins from growing the cache forever.
  static let maxEntries = 256

  init(lifetime: TimeInterval, renewalMargin: TimeInterval) {
    self.lifetime = lifetime
    self.renewalMargin = renewalMargin
  }

  /// The cached authorization for `audience` while it is valid for more than the margin at
  /// `now`, else a new one from `make`, kept for the next messages.
  func authorization(
    audience: String, now: Date, make: () throws(PushCryptoError) -> Entry
  ) throws(PushCryptoError) -> String {
    let seconds = now.timeIntervalSince1970
    func usable(_ entry: Entry) -> Bool {
      let left = TimeInterval(entry.expiresAt) - seconds
      return left > renewalMargin && left <= lifetime
    }
    if let entry = entries.withLock({ $0[audience] }), usable(entry) { return entry.value }
    // Signed outside the lock, so other origins' messages do not wait; two messages that miss
    // together both sign, and the later token is kept.
    let entry = try make()
    entries.withLock { entries in
      if entries.count >= Self.maxEntries { entries = entries.filter { usable($0.value) } }
      if entries.count >= Self.maxEntries { entries.removeAll() }
      entries[audience] = entry
    }
    return entry.value
  }
}
