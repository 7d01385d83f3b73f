import ArgumentParser
import Foundation
import Storage

/// `portfolio-server backup --to FILE`: a consistent copy of the database, taken while a server
/// may be running on it.
struct Backup: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Copy the database to a file (safe while the server runs).",
    discussion: """
      The copy is SQLite's online backup of one moment, checked (integrity_check) and synced, \
      then renamed into place: a file at FILE is always a whole backup. The database is opened \
      read-only and not migrated.
      """)
  @OptionGroup var options: ConfigOptions
  @Option(help: ArgumentHelp("The backup file to write.", valueName: "FILE")) var to: String
  @Flag(help: "Replace FILE if it exists.") var force = false

  func run() async throws {
    let config = try options.load()
    let file: BackupFile
    do {
      file = try DatabaseBackup.write(databaseAt: config.databasePath, to: to, replacing: force)
    } catch .targetExists(let path) {
      throw CommandFailure.failed("\(path) exists already; pass --force to replace it")
    } catch {
      throw CommandFailure.failed(error.description)
    }
    print("backup written: \(file.path) \(file.bytes) bytes in \(file.milliseconds) ms")
  }
}

/// `portfolio-server restore --from FILE`: puts a backup in place of the database while no
/// server runs on it.
struct Restore: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Replace the database with a backup (the server must be stopped).",
    discussion: """
      The backup is checked first (integrity, this app's schema, not newer than this binary). \
      The replaced database is kept as DATABASE.before-restore-<UTC stamp>; the restored one \
      gets a new epoch, so stream clients start again from a snapshot, and is migrated to this \
      binary's schema.
      """)
  @OptionGroup var options: ConfigOptions
  @Option(help: ArgumentHelp("The backup file to restore.", valueName: "FILE")) var from: String

  func run() async throws {
    let config = try options.load()
    let result: RestoreResult
    do {
      result = try DatabaseRestore.restore(from: from, to: config.databasePath)
    } catch let error as DatabaseInUse {
      throw CommandFailure.failed("cannot restore: \(error.description)")
    } catch let error as RestoreRefused {
      throw CommandFailure.failed("cannot restore: \(error.description)")
    } catch let error as DatabaseUnusable {
      throw CommandFailure.failed("cannot restore: \(error.description)")
    } catch {
      throw CommandFailure.failed("cannot restore: \(DatabaseRestoreError.describe(error))")
    }
    let kept = result.keptPath.map { "; the replaced database is kept as \($0)" } ?? ""
    let migrated = result.migrated.isEmpty ? "" : "; migrated \(result.migrated.count) step(s)"
    print("restored \(from) to \(config.databasePath) with the new epoch \(result.epoch)\(migrated)\(kept)")
  }
}

/// SQLite's own message for an error, without GRDB's decoration.
enum DatabaseRestoreError {
  static func describe(_ error: any Error) -> String {
    "\(error)".replacingOccurrences(of: "\n", with: " ")
  }
}
