public import Foundation
public import Logging
public import ServiceLifecycle
public import Storage

/// Takes a backup every `interval` and keeps the newest `keep`. The next one is due `interval`
/// after the newest backup in the folder, so restarts do not reset the schedule; with none
/// there, `firstDelay` after the start, so a server that lives a few minutes writes none. A
/// failed backup is logged and tried again at the next tick.
public struct ScheduledBackups: Service {
  public struct Settings: Sendable {
    public var interval: Duration
    public var keep: Int
    public var firstDelay: Duration = .seconds(600)
    /// How often the schedule is looked at: failures are retried this often.
    public var tick: Duration = .seconds(60)

    public init(interval: Duration, keep: Int) {
      self.interval = interval
      self.keep = keep
    }
  }

  let backups: DatabaseBackups
  let settings: Settings
  let logger: Logger

  public init(backups: DatabaseBackups, settings: Settings, logger: Logger) {
    self.backups = backups
    self.settings = settings
    self.logger = logger
  }

  public func run() async throws {
    let started = Date()
    await cancelWhenGracefulShutdown {
      // The last one taken here counts too, should the folder not list it.
      var taken: Date?
      while !Task.isCancelled {
        let listed = backups.directory.list().first?.createdAt
        let newest = [listed, taken].compactMap { $0 }.max()
        let due = Self.nextDue(newest: newest, started: started, settings: settings)
        let wait = due.timeIntervalSinceNow
        if wait <= 0 {
          taken = await backUp() ?? taken
          continue
        }
        do {
          try await Task.sleep(for: .milliseconds(Int(min(wait, Self.seconds(settings.tick)) * 1000) + 1))
        } catch {
          return
        }
      }
    }
  }

  /// When the next backup is due: `interval` after the newest, or `firstDelay` after the start.
  public static func nextDue(newest: Date?, started: Date, settings: Settings) -> Date {
    guard let newest else { return started.addingTimeInterval(seconds(settings.firstDelay)) }
    return newest.addingTimeInterval(seconds(settings.interval))
  }

  /// One backup, then the retention; a failure waits for the next tick. Returns when the
  /// backup was taken.
  private func backUp() async -> Date? {
    do {
      let file = try await backups.take()
      let deleted = backups.directory.prune(keep: settings.keep)
      logger.info(
        "scheduled backup written",
        metadata: [
          "file": "\(file.path)", "bytes": "\(file.bytes)", "took_ms": "\(file.milliseconds)",
          "deleted": "\(deleted.joined(separator: ","))",
        ])
      return file.createdAt
    } catch {
      logger.warning(
        "scheduled backup failed; retrying at the next tick",
        metadata: ["error": "\(error)", "retry_in_seconds": "\(Int(Self.seconds(settings.tick)))"])
      try? await Task.sleep(for: settings.tick)
      return nil
    }
  }

  private static func seconds(_ duration: Duration) -> TimeInterval {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }
}
