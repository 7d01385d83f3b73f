public import Foundation
public import GRDB

/// A finished backup: the file, its size, and how long it took.
public struct BackupFile: Sendable, Equatable {
  public let path: String
  public let bytes: Int64
  public let milliseconds: Int
  public let createdAt: Date

  /// The file's name without its folder.
  public var name: String { URL(fileURLWithPath: path).lastPathComponent }
}

/// Why a backup was not written; nothing is left at the target when it fails.
public enum BackupFailure: Error, CustomStringConvertible, Sendable, Equatable {
  /// The target exists and replacing it was not asked for.
  case targetExists(String)
  /// The target is the database being backed up.
  case targetIsSource(String)
  /// No database at the source path.
  case noSource(String)
  /// The copy failed its integrity check.
  case damagedCopy(String, [String])
  /// SQLite or the file system refused.
  case failed(String, String)

  public var description: String {
    switch self {
    case .targetExists(let path): "\(path) exists already"
    case .targetIsSource(let path): "\(path) is the database itself; back it up to another file"
    case .noSource(let path): "no database at \(path)"
    case .damagedCopy(let path, let problems):
      "the copy written for \(path) failed its integrity check: \(problems.prefix(3).joined(separator: "; "))"
    case .failed(let path, let reason): "cannot back up to \(path): \(reason)"
    }
  }
}

/// Consistent copies of a live database through SQLite's online backup: all pages are copied
/// in one step inside one read transaction, so the copy is the database as of one commit while
/// writers go on (WAL). The copy is written beside the target under a hidden temporary name,
/// checked, synced and renamed into place, so a file at the target is always a whole backup.
public enum DatabaseBackup {
  /// Backs up `source` (any reader: the server's pool, or a read-only one) to `target`.
  public static func write(
    from source: some DatabaseReader, to target: String, replacing: Bool = false, now: Date = Date()
  ) throws(BackupFailure) -> BackupFile {
    let began = ContinuousClock.now
    if FileSync.exists(target) {
      if FileSync.sameFile(target, source.path) { throw .targetIsSource(target) }
      guard replacing else { throw .targetExists(target) }
    }
    let folder = URL(fileURLWithPath: target).deletingLastPathComponent().path
    if let reason = DatabaseUnusable.makeFolder(folder) {
      throw .failed(target, "its folder \(folder) cannot be made: \(reason)")
    }
    let temporary = temporaryPath(for: target)
    do {
      try copy(from: source, to: temporary, target: target)
      try FileSync.file(temporary)
      guard rename(temporary, target) == 0 else {
        throw BackupFailure.failed(target, "renaming the finished copy: \(String(cString: strerror(errno)))")
      }
      try FileSync.folder(of: target)
    } catch let failure as BackupFailure {
      FileSync.removeDatabaseFiles(temporary)
      throw failure
    } catch {
      FileSync.removeDatabaseFiles(temporary)
      throw .failed(target, Self.reason(error))
    }
    let elapsed = ContinuousClock.now - began
    return BackupFile(
      path: target, bytes: FileSync.size(target) ?? 0,
      milliseconds: Int(
        elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
      createdAt: now)
  }

  /// Backs up the database file at `path` without migrating it: it is opened read-only, so
  /// a server may go on writing it meanwhile.
  public static func write(
    databaseAt path: String, to target: String, replacing: Bool = false, now: Date = Date()
  ) throws(BackupFailure) -> BackupFile {
    guard FileSync.exists(path) else { throw .noSource(path) }
    let source: DatabasePool
    do {
      var configuration = Configuration()
      configuration.readonly = true
      configuration.busyMode = .timeout(10)
      source = try DatabasePool(path: path, configuration: configuration)
    } catch {
      throw .failed(target, "cannot open \(path): \(Self.reason(error))")
    }
    defer { try? source.close() }
    return try write(from: source, to: target, replacing: replacing, now: now)
  }

  /// `PRAGMA integrity_check` of a database file opened read-only: `["ok"]` when it is whole.
  public static func integrityProblems(ofFileAt path: String) throws -> [String] {
    var configuration = Configuration()
    configuration.readonly = true
    let queue = try DatabaseQueue(path: path, configuration: checking(configuration))
    defer { try? queue.close() }
    return try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
  }

  /// A connection fit to check a whole file: `integrity_check` looks every row up in each of
  /// its indexes, and through SQLite's small default cache each lookup is a read from the
  /// kernel; mapping the file (and a larger cache while the connection lives) makes it several
  /// times faster on large files.
  static func checking(_ configuration: Configuration) -> Configuration {
    var configuration = configuration
    configuration.prepareDatabase { db in
      try db.execute(sql: "PRAGMA mmap_size = 2147418112")
      try db.execute(sql: "PRAGMA cache_size = -65536")
    }
    return configuration
  }

  /// A hidden name in the target's folder, so the rename is atomic and the name never looks
  /// like a finished backup.
  static func temporaryPath(for target: String) -> String {
    let url = URL(fileURLWithPath: target)
    let random = UInt64.random(in: 0...UInt64.max)
    return url.deletingLastPathComponent()
      .appendingPathComponent(".\(url.lastPathComponent).partial-\(String(random, radix: 16))").path
  }

  private static func copy(from source: some DatabaseReader, to temporary: String, target: String) throws {
    try createPrivateFile(temporary)
    let destination = try DatabaseQueue(path: temporary, configuration: checking(Configuration()))
    do {
      try source.backup(to: destination)
      // The copy carries the source's WAL mode in its header; a rollback journal makes it one
      // self-contained file that opening (even read-only) adds no -wal or -shm beside.
      try destination.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
      let problems = try destination.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
      guard problems == ["ok"] else { throw BackupFailure.damagedCopy(target, problems) }
      try destination.close()
    } catch {
      try? destination.close()
      throw error
    }
    if let size = FileSync.size(temporary + "-wal"), size > 0 {
      throw BackupFailure.failed(target, "the copy kept a write-ahead log of \(size) bytes")
    }
    unlink(temporary + "-wal")
    unlink(temporary + "-shm")
  }

  /// An empty file only its owner can read, as the database is: a backup holds the same
  /// secrets (token hashes, webhook keys). SQLite gives its journal the same mode.
  static func createPrivateFile(_ path: String) throws {
    let file = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard file >= 0 else { throw FileSyncError(path: path, errno: errno) }
    close(file)
  }

  static func reason(_ error: any Error) -> String {
    if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
    return "\(error)"
  }
}
