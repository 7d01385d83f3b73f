import Foundation

/// Pushes a file, or the entry naming it, to the disk: a backup or restore that says it is
/// done must survive a power cut right after.
enum FileSync {
  /// `fsync` of the file at `path`.
  static func file(_ path: String) throws {
    let file = open(path, O_RDONLY | O_CLOEXEC)
    guard file >= 0 else { throw FileSyncError(path: path, errno: errno) }
    defer { close(file) }
    guard fsync(file) == 0 else { throw FileSyncError(path: path, errno: errno) }
  }

  /// `fsync` of the folder holding `path`, so a rename into it is durable.
  static func folder(of path: String) throws {
    try file(URL(fileURLWithPath: path).deletingLastPathComponent().path)
  }

  /// Removes the file and the journal, log and shared-memory files SQLite keeps beside it.
  static func removeDatabaseFiles(_ path: String) {
    for suffix in ["", "-wal", "-shm", "-journal"] { unlink(path + suffix) }
  }

  /// The file's size in bytes, or nil when there is none.
  static func size(_ path: String) -> Int64? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return Int64(status.st_size)
  }

  static func exists(_ path: String) -> Bool {
    var status = stat()
    return lstat(path, &status) == 0
  }

  /// Whether two paths name the same file (same device and inode).
  static func sameFile(_ one: String, _ other: String) -> Bool {
    var first = stat()
    var second = stat()
    guard stat(one, &first) == 0, stat(other, &second) == 0 else { return false }
    return first.st_dev == second.st_dev && first.st_ino == second.st_ino
  }
}

struct FileSyncError: Error, CustomStringConvertible {
  let path: String
  let errno: Int32

  var description: String { "\(path): \(String(cString: strerror(errno)))" }
}
