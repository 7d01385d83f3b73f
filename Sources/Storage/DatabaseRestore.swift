public import Foundation
import GRDB

/// What a restore did.
public struct RestoreResult: Sendable {
  /// Where the database that was replaced is kept; nil when there was none.
  public let keptPath: String?
  /// The restored database's new epoch.
  public let epoch: String
  /// Migrations run to bring the restored file to this binary's schema.
  public let migrated: [String]
}

/// Why a restore did not happen; the database is untouched when it fails before the swap.
public struct RestoreRefused: Error, CustomStringConvertible, Sendable {
  public let description: String
}

/// Puts a backup in place of the database, while no server runs on it: the backup is checked,
/// copied beside the database, given a new epoch and renamed over it; the replaced file is
/// kept beside it; then the result is migrated to this binary's schema.
public enum DatabaseRestore {
  public static func restore(
    from source: String, to databasePath: String, now: Date = Date()
  ) throws -> RestoreResult {
    let lock = try DatabaseLock(databasePath: databasePath)
    defer { lock.release() }
    guard !FileSync.exists(databasePath) || !FileSync.sameFile(source, databasePath) else {
      throw RestoreRefused(description: "\(source) is the database itself; restore from a backup file")
    }
    let reader = try checkedSource(source)
    let temporary = DatabaseBackup.temporaryPath(for: databasePath)
    let epoch = UUID().uuidString.lowercased()
    var keptPath: String?
    do {
      try copy(reader, to: temporary, epoch: epoch)
      try? reader.close()
      try FileSync.file(temporary)
      if FileSync.exists(databasePath) {
        let kept = databasePath + ".before-restore-" + BackupDirectory.stamp(now)
        try keep(databasePath, as: kept)
        keptPath = kept
      }
      unlink(databasePath + "-shm")
      guard rename(temporary, databasePath) == 0 else {
        throw RestoreRefused(
          description: "cannot rename the copy into place: \(String(cString: strerror(errno)))")
      }
      try FileSync.folder(of: databasePath)
    } catch {
      try? reader.close()
      FileSync.removeDatabaseFiles(temporary)
      throw error
    }
    let before = try appliedMigrations(databasePath)
    try AppDatabase(path: databasePath).close()
    let after = try appliedMigrations(databasePath)
    return RestoreResult(
      keptPath: keptPath, epoch: epoch,
      migrated: SchemaVersion.known.filter { after.contains($0) && !before.contains($0) })
  }

  /// Opens the backup read-only and checks it is a whole database of this app that this
  /// binary can run.
  static func checkedSource(_ path: String) throws -> DatabasePool {
    guard FileSync.exists(path) else { throw RestoreRefused(description: "no backup at \(path)") }
    let pool: DatabasePool
    do {
      var configuration = Configuration()
      configuration.readonly = true
      pool = try DatabasePool(path: path, configuration: DatabaseBackup.checking(configuration))
      let problems = try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
      guard problems == ["ok"] else {
        throw RestoreRefused(
          description: "\(path) failed its integrity check: \(problems.prefix(3).joined(separator: "; "))")
      }
    } catch let refused as RestoreRefused {
      throw refused
    } catch {
      throw RestoreRefused(
        description: "\(path) is not a usable SQLite database: \(DatabaseBackup.reason(error))")
    }
    try pool.read { db in
      let epoch = try? String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'epoch'")
      guard try db.tableExists("grdb_migrations"), epoch != nil else {
        throw RestoreRefused(
          description:
            "\(path) is a SQLite database but not one of portfolio-server (no meta epoch or migrations table)"
        )
      }
      try SchemaVersion.checkNotNewer(db, path: path)
    }
    return pool
  }

  /// A consistent copy of the backup (its own log included) with a new epoch: the change log
  /// went back in time, so clients resuming with the old epoch must start from a snapshot.
  private static func copy(_ reader: DatabasePool, to temporary: String, epoch: String) throws {
    try DatabaseBackup.createPrivateFile(temporary)
    let destination = try DatabaseQueue(path: temporary)
    do {
      try reader.backup(to: destination)
      try destination.write { db in
        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'epoch'", arguments: [epoch])
      }
      _ = try destination.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
      try destination.close()
    } catch {
      try? destination.close()
      throw error
    }
    unlink(temporary + "-wal")
    unlink(temporary + "-shm")
  }

  /// Keeps the replaced database under `kept`: its log is folded in first when it opens, and
  /// otherwise moved beside it, so nothing it committed is lost.
  private static func keep(_ databasePath: String, as kept: String) throws {
    if FileSync.exists(databasePath + "-wal") {
      if let queue = try? DatabaseQueue(path: databasePath) {
        _ = try? queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
        try? queue.close()
      }
    }
    guard link(databasePath, kept) == 0 else {
      throw RestoreRefused(
        description: "cannot keep the replaced database as \(kept): \(String(cString: strerror(errno)))")
    }
    if let size = FileSync.size(databasePath + "-wal"), size > 0 {
      guard rename(databasePath + "-wal", kept + "-wal") == 0 else {
        throw RestoreRefused(
          description:
            "cannot keep the replaced database's log as \(kept)-wal: \(String(cString: strerror(errno)))")
      }
    }
    unlink(databasePath + "-wal")
  }

  private static func appliedMigrations(_ path: String) throws -> Set<String> {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.read { db in try Migrations.migrator.appliedIdentifiers(db) }
  }
}
