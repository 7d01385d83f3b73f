import Foundation
import Synchronization

/// A fixed-window request budget per client address. Cheap enough for every request: one lock,
/// one dictionary lookup.
final class RateLimiter: Sendable {
  private struct Window {
    var start: UInt64
    var count: Int
  }

  let limit: Int
  let windowSeconds: Int
  private let windows = Mutex<[String: Window]>([:])

  init(limit: Int, windowSeconds: Int) {
    self.limit = limit
    self.windowSeconds = windowSeconds
  }

  /// nil when allowed, else the seconds until the client's window resets.
  func check(_ client: String, now: UInt64 = UInt64(Date().timeIntervalSince1970)) -> Int? {
    guard limit > 0 else { return nil }
    let windowStart = now - now % UInt64(windowSeconds)
    return windows.withLock { windows in
      if windows.count > 100_000 { windows = windows.filter { $0.value.start == windowStart } }
      var window = windows[client] ?? Window(start: windowStart, count: 0)
      if window.start != windowStart { window = Window(start: windowStart, count: 0) }
      window.count += 1
      windows[client] = window
      return window.count > limit ? Int(windowStart + UInt64(windowSeconds) - now) : nil
    }
  }
}
