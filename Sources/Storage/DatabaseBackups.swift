public import Foundation

/// Backups of the server's database into its backup folder, one at a time: the admin endpoint
/// and the schedule share it, and a request made while another backup runs waits for it.
public final class DatabaseBackups: Sendable {
  public let database: AppDatabase
  public let directory: BackupDirectory
  private let gate = SerialGate()

  public init(database: AppDatabase, directory: BackupDirectory) {
    self.database = database
    self.directory = directory
  }

  /// Takes a backup named after the time it starts; waits for one under way first. The copy
  /// runs off the concurrency pool's threads, since it can take seconds.
  public func take() async throws(BackupFailure) -> BackupFile {
    await gate.enter()
    let result = await backUp()
    await gate.leave()
    if case .success = result { BackupMetrics.taken(ok: true) } else { BackupMetrics.taken(ok: false) }
    return try result.get()
  }

  private func backUp() async -> Result<BackupFile, BackupFailure> {
    var now = Date()
    // Two backups in the same second would share a name: the later waits for the next second.
    while FileSync.exists(directory.filePath(BackupDirectory.name(at: now))) {
      let wait = 1 - now.timeIntervalSince1970.truncatingRemainder(dividingBy: 1)
      try? await Task.sleep(for: .milliseconds(Int(wait * 1000) + 5))
      now = Date()
    }
    let target = directory.filePath(BackupDirectory.name(at: now))
    let pool = database.pool
    return await withCheckedContinuation { continuation in
      DispatchQueue.global(qos: .utility).async { [now] in
        continuation.resume(
          returning: Result { () throws(BackupFailure) -> BackupFile in
            try DatabaseBackup.write(from: pool, to: target, now: now)
          })
      }
    }
  }
}

/// An async mutual exclusion: callers enter one at a time, in order of arrival.
actor SerialGate {
  private var busy = false
  private var waiting: [CheckedContinuation<Void, Never>] = []

  func enter() async {
    guard busy else {
      busy = true
      return
    }
    await withCheckedContinuation { waiting.append($0) }
  }

  func leave() {
    if waiting.isEmpty {
      busy = false
    } else {
      waiting.removeFirst().resume()
    }
  }
}
