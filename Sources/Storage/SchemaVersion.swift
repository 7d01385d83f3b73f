import GRDB

/// The schema a database file has, against the migrations this binary knows. Migrations only
/// go forward, so a file migrated by a newer binary has identifiers missing here.
public enum SchemaVersion {
  /// Every migration this binary knows, oldest first.
  public static var known: [String] { Migrations.migrator.migrations }

  /// The newest migration this binary knows.
  public static var latest: String { known.last ?? "" }

  /// The migrations applied to the file that this binary does not know, sorted.
  static func unknownMigrations(_ db: Database) throws -> [String] {
    let known = Set(Self.known)
    return try Migrations.migrator.appliedIdentifiers(db).filter { !known.contains($0) }.sorted()
  }

  /// Refuses a file made by a newer binary, before anything migrates or writes it.
  static func checkNotNewer(_ db: Database, path: String) throws {
    let unknown = try unknownMigrations(db)
    guard !unknown.isEmpty else { return }
    throw DatabaseUnusable.newerSchema(path: path, unknown: unknown)
  }
}

extension DatabaseUnusable {
  /// A file migrated by a newer version: this one would misread it, so it does not touch it.
  static func newerSchema(path: String, unknown: [String]) -> DatabaseUnusable {
    let named = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
    return DatabaseUnusable(
      path: path,
      reason: "its schema is newer than this binary: the file has migration\(unknown.count == 1 ? "" : "s") "
        + "\(named), while this binary knows \(SchemaVersion.known.count) up to \"\(SchemaVersion.latest)\"; "
        + "run the newer portfolio-server on it, or restore a backup made by this version "
        + "(portfolio-server restore --from FILE)")
  }
}
