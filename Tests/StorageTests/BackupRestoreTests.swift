import Foundation
import GRDB
import PortfolioCore
import Synchronization
import Testing

@testable import Storage

/// Backups of a database being written, restores of them, the lock that keeps a restore from
/// a running server, and the retention of the backup folder.
@Suite struct BackupRestoreTests {
  let folder: URL

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

  static func wallet(_ index: Int) -> Wallet {
    let address = "0x" + String(format: "%040x", index + 1)
    let now = Date()
    return Wallet(chain: "ethereum", address: address, label: "w\(index)", createdAt: now, updatedAt: now)
  }

  static func integrity(_ path: String) throws -> [String] {
    let queue = try DatabaseQueue(path: path)
    defer { try? queue.close() }
    return try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
  }

  @Test func aBackupTakenWhileWritingHoldsEveryWalletCommittedBeforeIt() async throws {
    let database = try AppDatabase(path: path("live.sqlite"))
    let committed = Mutex<[UUID]>([])
    let stop = Atomic<Bool>(false)
    // Wallets and their balances, written without pause until the backup is done.
    let writer = Task.detached {
      var index = 0
      while !stop.load(ordering: .acquiring) {
        let wallet = try WalletStore(database).add(Self.wallet(index))
        _ = try BalanceStore(database).apply(
          chain: "ethereum",
          readings: [
            StoredBalance(
              walletID: wallet.id, token: nil, symbol: "ETH", decimals: 18, raw: BaseUnits(UInt64(index + 1)),
              block: UInt64(index), updatedAt: Date())
          ])
        committed.withLock { $0.append(wallet.id) }
        index += 1
      }
      return index
    }
    while committed.withLock({ $0.count }) < 50 { try await Task.sleep(for: .milliseconds(5)) }
    let before = Set(committed.withLock { $0 })
    let file = try DatabaseBackup.write(from: database.pool, to: path("copy.sqlite"))
    stop.store(true, ordering: .releasing)
    let written = try await writer.value
    #expect(written > before.count)
    #expect(file.bytes > 0)
    #expect(file.bytes == FileSync.size(path("copy.sqlite")))
    #expect(try Self.integrity(path("copy.sqlite")) == ["ok"])

    let restored = path("restored/portfolio.sqlite")
    _ = try DatabaseRestore.restore(from: path("copy.sqlite"), to: restored)
    #expect(try Self.integrity(restored) == ["ok"])
    let copy = try AppDatabase(path: restored)
    let ids = Set(try WalletStore(copy).all().map(\.id))
    #expect(before.isSubset(of: ids))
    // Their balances, each written in a later transaction than its wallet, came too.
    for id in before { #expect(try BalanceStore(copy).balances(walletID: id).count == 1) }
    try copy.close()
    try database.close()
  }

  @Test func anExistingTargetIsKeptUnlessReplacing() throws {
    let database = try AppDatabase(path: path("live.sqlite"))
    defer { try? database.close() }
    try Data("mine".utf8).write(to: folder.appendingPathComponent("taken.sqlite"))
    #expect(throws: BackupFailure.targetExists(path("taken.sqlite"))) {
      try DatabaseBackup.write(from: database.pool, to: path("taken.sqlite"))
    }
    #expect(try String(contentsOfFile: path("taken.sqlite"), encoding: .utf8) == "mine")
    _ = try DatabaseBackup.write(from: database.pool, to: path("taken.sqlite"), replacing: true)
    #expect(try Self.integrity(path("taken.sqlite")) == ["ok"])
    #expect(throws: BackupFailure.targetIsSource(path("live.sqlite"))) {
      try DatabaseBackup.write(from: database.pool, to: path("live.sqlite"), replacing: true)
    }
    // No temporary file is left behind.
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    #expect(!names.contains { $0.contains(".partial-") })
  }

  @Test func aBackupOfAFileOpensItReadOnlyWithoutMigrating() throws {
    try AppDatabase(path: path("live.sqlite")).close()
    let file = try DatabaseBackup.write(databaseAt: path("live.sqlite"), to: path("copy.sqlite"))
    #expect(file.name == "copy.sqlite")
    #expect(try Self.integrity(path("copy.sqlite")) == ["ok"])
    // Only its owner may read it, as the database.
    let mode =
      try FileManager.default.attributesOfItem(atPath: path("copy.sqlite"))[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(throws: BackupFailure.noSource(path("none.sqlite"))) {
      try DatabaseBackup.write(databaseAt: path("none.sqlite"), to: path("other.sqlite"))
    }
  }

  @Test func aRestoreGivesANewEpochAndKeepsTheReplacedFile() throws {
    let live = path("portfolio.sqlite")
    let database = try AppDatabase(path: live)
    let oldEpoch = database.epoch()
    _ = try WalletStore(database).add(Self.wallet(1))
    _ = try DatabaseBackup.write(from: database.pool, to: path("copy.sqlite"))
    _ = try WalletStore(database).add(Self.wallet(2))
    try database.close()

    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let result = try DatabaseRestore.restore(from: path("copy.sqlite"), to: live, now: now)
    #expect(result.keptPath == live + ".before-restore-" + BackupDirectory.stamp(now))
    #expect(result.epoch != oldEpoch)
    let restored = try AppDatabase(path: live)
    #expect(restored.epoch() == result.epoch)
    #expect(try WalletStore(restored).count() == 1)
    try restored.close()
    let kept = try AppDatabase(path: try #require(result.keptPath))
    #expect(kept.epoch() == oldEpoch)
    #expect(try WalletStore(kept).count() == 2)
    try kept.close()
    #expect(!FileManager.default.fileExists(atPath: live + "-wal") || FileSync.size(live + "-wal") == 0)
  }

  @Test func aRestoreRefusesWhileTheLockIsHeldAndLeavesTheFile() throws {
    let live = path("portfolio.sqlite")
    let database = try AppDatabase(path: live)
    _ = try DatabaseBackup.write(from: database.pool, to: path("copy.sqlite"))
    let lock = try DatabaseLock(databasePath: live)
    #expect(throws: DatabaseInUse.self) { try DatabaseLock(databasePath: live) }
    do {
      _ = try DatabaseRestore.restore(from: path("copy.sqlite"), to: live)
      Issue.record("restored under a held lock")
    } catch let error as DatabaseInUse {
      #expect(error.description.contains("\(live).lock"))
    }
    lock.release()
    #expect(
      !FileManager.default.fileExists(atPath: live + ".before-restore-" + BackupDirectory.stamp(Date())))
    try database.close()
    // Released: the next holder gets it.
    try DatabaseLock(databasePath: live).release()
  }

  @Test func aRestoreRefusesFilesThatAreNotBackupsOfThisApp() throws {
    let live = path("portfolio.sqlite")
    try AppDatabase(path: live).close()
    try Data("not a database at all, not even close".utf8).write(to: folder.appendingPathComponent("junk"))
    #expect(throws: RestoreRefused.self) { try DatabaseRestore.restore(from: path("junk"), to: live) }
    let other = try DatabaseQueue(path: path("other.sqlite"))
    try other.write { db in try db.execute(sql: "CREATE TABLE t (x)") }
    try other.close()
    do {
      _ = try DatabaseRestore.restore(from: path("other.sqlite"), to: live)
      Issue.record("restored a foreign database")
    } catch let error as RestoreRefused {
      #expect(error.description.contains("not one of portfolio-server"))
    }
    // A backup made by a newer binary.
    let newer = try AppDatabase(path: path("newer.sqlite"))
    try newer.pool.write { db in
      try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')")
    }
    try newer.close()
    #expect(throws: DatabaseUnusable.self) {
      try DatabaseRestore.restore(from: path("newer.sqlite"), to: live)
    }
    #expect(
      !FileManager.default.fileExists(atPath: live + ".before-restore-" + BackupDirectory.stamp(Date())))
  }

  @Test func namesSayWhenTheBackupWasTaken() throws {
    let date = Date(timeIntervalSince1970: 1_790_000_000)
    let name = BackupDirectory.name(at: date)
    #expect(name == "portfolio-20260921T141320Z.sqlite")
    #expect(BackupDirectory.date(ofName: name) == date)
    for other in [
      "portfolio-20260921T141320Z.sqlite-wal", "portfolio.sqlite", "portfolio-20261321T144320Z.sqlite",
      ".portfolio-20260921T141320Z.sqlite.partial-1f", "notes.txt",
    ] {
      #expect(BackupDirectory.date(ofName: other) == nil, "\(other)")
    }
  }

  @Test func retentionKeepsTheNewestAndLeavesOtherFiles() throws {
    let directory = BackupDirectory(path: path("backups"))
    try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
    let start = Date(timeIntervalSince1970: 1_790_000_000)
    let names = (0..<5).map { BackupDirectory.name(at: start.addingTimeInterval(Double($0) * 86400)) }
    for name in names { try Data(name.utf8).write(to: URL(fileURLWithPath: directory.filePath(name))) }
    for foreign in ["notes.txt", "portfolio.sqlite", "portfolio-manual.sqlite"] {
      try Data("keep me".utf8).write(to: URL(fileURLWithPath: directory.filePath(foreign)))
    }
    #expect(directory.list().map(\.name) == names.reversed())
    let deleted = directory.prune(keep: 2)
    #expect(Set(deleted) == Set(names.prefix(3)))
    #expect(directory.list().map(\.name) == [names[4], names[3]])
    let left = Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
    #expect(left == Set([names[4], names[3], "notes.txt", "portfolio.sqlite", "portfolio-manual.sqlite"]))
  }

  @Test func backupsTakenAtOnceAreSerializedUnderDistinctNames() async throws {
    let database = try AppDatabase(path: path("live.sqlite"))
    let backups = DatabaseBackups(database: database, directory: BackupDirectory(path: path("backups")))
    async let first = backups.take()
    async let second = backups.take()
    let files = try await [first, second]
    #expect(Set(files.map(\.name)).count == 2)
    for file in files { #expect(try Self.integrity(file.path) == ["ok"]) }
    #expect(backups.directory.list().count == 2)
    try database.close()
  }
}
