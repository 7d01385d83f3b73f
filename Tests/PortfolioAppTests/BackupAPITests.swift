import Foundation
import GRDB
import Logging
import PortfolioApp
import PortfolioConfig
import PortfolioCore
import Storage
import Testing

/// The admin backup endpoint, the lock a running server holds on its database, and the
/// scheduled backups.
@Suite struct BackupAPITests {
  @Test func anAdminBacksUpAndListsTheBackups() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backups-\(UUID().uuidString)")
    try await TestServer.with(settings: ["backup.directory": folder.path]) { server in
      let added = try await server.request(
        "POST", "/api/v1/admin/backups", json: [String: Any]())
      #expect(added.status == 201, "\(added.text)")
      let name = try #require(added.json["file"] as? String)
      #expect(BackupDirectory.date(ofName: name) != nil)
      #expect((added.json["bytes"] as? Int ?? 0) > 0)
      #expect(added.json["took_ms"] is Int)
      #expect((added.json["created_at"] as? String)?.hasSuffix("Z") == true)
      let path = folder.appendingPathComponent(name).path
      let copy = try DatabaseQueue(path: path)
      let count = try await copy.read { db in
        try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations")
      }
      #expect(count == SchemaVersion.known.count)
      try copy.close()

      // Two at once: both are written, one after the other, under names of their own.
      async let second = server.request("POST", "/api/v1/admin/backups")
      async let third = server.request("POST", "/api/v1/admin/backups")
      let both = try await [second, third]
      #expect(both.map(\.status) == [201, 201])
      let names = both.compactMap { $0.json["file"] as? String }.sorted()
      #expect(Set(names).count == 2)
      let listed = try await server.request("GET", "/api/v1/admin/backups")
      #expect(listed.status == 200)
      let backups = try #require(listed.json["backups"] as? [[String: Any]])
      #expect(backups.compactMap { $0["name"] as? String } == names.reversed() + [name])
      #expect(backups.first?["bytes"] as? Int ?? 0 > 0)

      let withPath = try await server.request(
        "POST", "/api/v1/admin/backups", json: ["path": "/etc/passwd"])
      #expect(withPath.status == 400)
      #expect(withPath.json["field"] as? String == "path")
    }
  }

  @Test func onlyAdminTokensMayBackUp() async throws {
    try await TestServer.with(settings: ["server.auth_required": "true"]) { server in
      let database = try AppDatabase(path: server.databasePath)
      let writer = try AccessTokenStore(database).issue(
        user: .first, scope: .write, name: nil, expiresAt: nil)
      let admin = try AccessTokenStore(database).issue(user: .first, scope: .admin, name: nil, expiresAt: nil)
      for method in ["GET", "POST"] {
        let refused = try await server.request(
          method, "/api/v1/admin/backups", headers: ["Authorization": "Bearer \(writer.secret)"])
        #expect(refused.status == 403, "\(method)")
        #expect(refused.json["required_scope"] as? String == "admin")
      }
      let missing = try await server.request("POST", "/api/v1/admin/backups")
      #expect(missing.status == 401)
      let allowed = try await server.request(
        "POST", "/api/v1/admin/backups", headers: ["Authorization": "Bearer \(admin.secret)"])
      #expect(allowed.status == 201)
    }
  }

  @Test func aRunningServerKeepsASecondServerAndARestoreAway() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lock-\(UUID().uuidString)")
    let path = folder.appendingPathComponent("portfolio.sqlite").path
    let backup = folder.appendingPathComponent("copy.sqlite").path
    try await TestServer.with(databasePath: path) { server in
      _ = try DatabaseBackup.write(databaseAt: path, to: backup)
      do {
        _ = try TestServer(databasePath: path)
        Issue.record("a second server started on the same database")
      } catch let error as DatabaseInUse {
        #expect(
          error.description
            == "the database \(path) is in use by another portfolio-server (it holds \(path).lock); stop that one first"
        )
      }
      #expect(throws: DatabaseInUse.self) { try DatabaseRestore.restore(from: backup, to: path) }
      let reply = try await server.request("GET", "/api/v1/ready")
      #expect(reply.status == 200)
    }
    // Stopped: the lock is free, and the restore goes through with a new epoch.
    let result = try DatabaseRestore.restore(from: backup, to: path)
    #expect(result.keptPath != nil)
    try await TestServer.with(databasePath: path) { server in
      #expect(server.server.database.epoch() == result.epoch)
    }
  }

  @Test func theScheduleIsDueAnIntervalAfterTheNewestBackup() {
    let settings = ScheduledBackups.Settings(interval: .seconds(3600), keep: 2)
    let started = Date(timeIntervalSince1970: 1_790_000_000)
    #expect(
      ScheduledBackups.nextDue(newest: nil, started: started, settings: settings)
        == started.addingTimeInterval(600))
    let newest = started.addingTimeInterval(-100)
    #expect(
      ScheduledBackups.nextDue(newest: newest, started: started, settings: settings)
        == newest.addingTimeInterval(3600))
  }

  @Test func aFailingScheduledBackupIsRetriedWithoutStoppingTheService() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("failing-\(UUID().uuidString)")
    let database = try AppDatabase(path: folder.appendingPathComponent("portfolio.sqlite").path)
    // A file where the backup folder should be: every attempt fails.
    let blocker = folder.appendingPathComponent("blocker")
    try Data("x".utf8).write(to: blocker)
    var settings = ScheduledBackups.Settings(interval: .seconds(1), keep: 2)
    settings.tick = .milliseconds(100)
    settings.firstDelay = .zero
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let directory = BackupDirectory(path: blocker.appendingPathComponent("backups").path)
    let service = ScheduledBackups(
      backups: DatabaseBackups(database: database, directory: directory), settings: settings, logger: logger)
    let running = Task { try await service.run() }
    try await Task.sleep(for: .milliseconds(400))
    // Still running after several failed attempts; a cancel ends it without an error.
    running.cancel()
    try await running.value
    #expect(directory.list().isEmpty)
    try database.close()
  }

  @Test func scheduledBackupsRunAndKeepTheNewest() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "scheduled-\(UUID().uuidString)")
    let database = try AppDatabase(path: folder.appendingPathComponent("portfolio.sqlite").path)
    let directory = BackupDirectory(path: folder.appendingPathComponent("backups").path)
    try FileManager.default.createDirectory(atPath: directory.path, withIntermediateDirectories: true)
    // An old backup and a foreign file: the first is pruned, the second never touched.
    let old = BackupDirectory.name(at: Date(timeIntervalSince1970: 1_700_000_000))
    try Data("old".utf8).write(to: URL(fileURLWithPath: directory.filePath(old)))
    try Data("mine".utf8).write(to: URL(fileURLWithPath: directory.filePath("notes.txt")))
    var settings = ScheduledBackups.Settings(interval: .seconds(1), keep: 2)
    settings.tick = .milliseconds(100)
    settings.firstDelay = .zero
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let service = ScheduledBackups(
      backups: DatabaseBackups(database: database, directory: directory), settings: settings, logger: logger)
    let running = Task { try await service.run() }
    let deadline = ContinuousClock.now + .seconds(5)
    while directory.list().filter({ $0.name != old }).count < 2, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    running.cancel()
    _ = await running.result
    let names = directory.list().map(\.name)
    #expect(names.count == 2)
    #expect(!names.contains(old))
    #expect(FileManager.default.fileExists(atPath: directory.filePath("notes.txt")))
    try database.close()
  }
}
