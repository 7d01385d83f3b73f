import Foundation
import Synchronization

/// An exclusive `flock` on `<database>.lock`, held by a running server for its lifetime and by
/// `restore` while it replaces the file, so neither can work under the other. The kernel drops
/// the lock when the process ends, however it ends.
public final class DatabaseLock: Sendable {
  public let path: String
  private let descriptor: Mutex<Int32>

  /// Takes the lock without waiting.
  /// - Throws: `DatabaseInUse` when another process (or another holder in this one) has it.
  public init(databasePath: String) throws {
    path = databasePath + ".lock"
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if let reason = DatabaseUnusable.makeFolder(folder) {
      throw DatabaseUnusable(path: databasePath, reason: "its folder \(folder) cannot be made: \(reason)")
    }
    let file = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard file >= 0 else {
      throw DatabaseUnusable(
        path: databasePath,
        reason: "its lock file \(path) cannot be opened: \(String(cString: strerror(errno)))")
    }
    guard flock(file, LOCK_EX | LOCK_NB) == 0 else {
      let reason = errno
      close(file)
      if reason == EWOULDBLOCK { throw DatabaseInUse(databasePath: databasePath, lockPath: path) }
      throw DatabaseUnusable(
        path: databasePath,
        reason: "its lock file \(path) cannot be locked: \(String(cString: strerror(reason)))")
    }
    descriptor = Mutex(file)
  }

  /// Lets the next holder in; a no-op once released.
  public func release() {
    descriptor.withLock { file in
      guard file >= 0 else { return }
      flock(file, LOCK_UN)
      close(file)
      file = -1
    }
  }

  deinit { release() }
}

/// Another process holds the database's lock: a server runs on it, or a restore is under way.
public struct DatabaseInUse: Error, CustomStringConvertible, Sendable {
  public let databasePath: String
  public let lockPath: String

  public var description: String {
    "the database \(databasePath) is in use by another portfolio-server (it holds \(lockPath)); "
      + "stop that one first"
  }
}
