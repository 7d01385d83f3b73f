import Foundation
import GRDB

/// Why the database file cannot be used, with its path and the system's reason, in words a
/// person can act on.
public struct DatabaseUnusable: Error, CustomStringConvertible, Sendable {
  public let path: String
  public let reason: String

  public var description: String { "cannot use the database \(path): \(reason)" }

  /// Makes the file's folder if needed and checks the file can be opened for writing, and its
  /// folder written (SQLite keeps its write-ahead log beside it), before SQLite tries.
  static func check(path: String) throws(DatabaseUnusable) {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if let reason = makeFolder(folder) {
      throw DatabaseUnusable(path: path, reason: "its folder \(folder) cannot be made: \(reason)")
    }
    let file = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard file >= 0 else { throw DatabaseUnusable(path: path, reason: String(cString: strerror(errno))) }
    close(file)
    guard access(folder, W_OK | X_OK) == 0 else {
      throw DatabaseUnusable(
        path: path,
        reason: "its folder \(folder) is not writable, and SQLite keeps its log there: "
          + String(cString: strerror(errno)))
    }
  }

  /// SQLite's own refusal of a file it opened, e.g. one that is not a database.
  static func opening(path: String, _ error: DatabaseError) -> DatabaseUnusable {
    DatabaseUnusable(path: path, reason: error.message ?? "\(error.resultCode)")
  }

  /// Makes `folder` and the folders above it that are missing; the system's reason when one
  /// cannot be made, or when a file stands where a folder should be.
  static func makeFolder(_ folder: String) -> String? {
    var current = ""
    for component in folder.split(separator: "/") {
      current += "/\(component)"
      if mkdir(current, 0o755) != 0 && errno != EEXIST { return String(cString: strerror(errno)) }
      var status = stat()
      guard stat(current, &status) == 0 else { return String(cString: strerror(errno)) }
      if status.st_mode & S_IFMT != S_IFDIR { return "\(current) is a file, not a folder" }
    }
    return nil
  }
}
