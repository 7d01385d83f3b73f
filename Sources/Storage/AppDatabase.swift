import Foundation
public import GRDB

/// The SQLite database: a GRDB pool in WAL mode, so readers never wait for the writer and a
/// crash at any point leaves a consistent file.
public final class AppDatabase: Sendable {
  public let pool: DatabasePool
  private let commits = CommitCounter()
  private let epochName: String

  /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
  public init(path: String) throws {
    try DatabaseUnusable.check(path: path)
    var configuration = Configuration()
    configuration.busyMode = .timeout(5)
    configuration.prepareDatabase { db in
      // A committed answer must survive power loss too, not only a process crash.
      try db.execute(sql: "PRAGMA synchronous = FULL")
      // Each of the pool's connections keeps its own page cache (2 MiB by default); the file's
      // pages stay in the kernel's cache anyway, so a small one per connection costs little.
      try db.execute(sql: "PRAGMA cache_size = -512")
    }
    do {
      pool = try DatabasePool(path: path, configuration: configuration)
      // A file a newer binary migrated is refused before this one writes anything to it.
      try pool.read { db in try SchemaVersion.checkNotNewer(db, path: path) }
      try Migrations.migrator.migrate(pool)
    } catch let error as DatabaseError
      where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CANTOPEN
    {
      throw DatabaseUnusable.opening(path: path, error)
    }
    pool.add(transactionObserver: commits, extent: .databaseLifetime)
    // Set once when the file is created; read here so a subscription never waits for it.
    epochName = try pool.read { db in
      try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'epoch'") ?? ""
    }
  }

  /// Rises with every committed write. A value read after seeing generation g is current for
  /// as long as the generation is still g.
  public var generation: UInt64 { commits.count }

  /// Names this database; clients resuming a stream compare it with the epoch they saw.
  public func epoch() -> String { epochName }

  /// A cheap query that proves the file is readable, for the readiness probe.
  public func checkReadable() throws {
    _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM wallets") }
  }

  /// One write transaction, timed for `/metrics`.
  public func write<T>(_ updates: (Database) throws -> T) throws -> T {
    var began = ContinuousClock.now
    defer { WriteMetrics.record(since: began) }
    return try pool.write { db in
      began = .now
      return try updates(db)
    }
  }

  /// Flushes the WAL into the main file and closes every connection.
  public func close() throws {
    _ = try pool.writeWithoutTransaction { db in
      try db.checkpoint(.truncate)
    }
    try pool.close()
  }
}
