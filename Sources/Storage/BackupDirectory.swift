public import Foundation

/// The folder backups are written to, and the names the server gives them:
/// `portfolio-YYYYMMDDTHHMMSSZ.sqlite`, UTC, so names sort by time and say when they were
/// taken. Only files with such names are listed or ever deleted here.
public struct BackupDirectory: Sendable {
  public let path: String

  public init(path: String) {
    self.path = path
  }

  /// `backups` beside the database file, used when `backup.directory` is empty.
  public static func standard(forDatabase databasePath: String) -> BackupDirectory {
    BackupDirectory(
      path: URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("backups")
        .path)
  }

  /// One backup in the folder.
  public struct Entry: Sendable, Equatable {
    public let name: String
    public let bytes: Int64
    /// When it was taken, as its name says.
    public let createdAt: Date
  }

  /// The name for a backup taken at `date`.
  public static func name(at date: Date) -> String {
    "portfolio-\(stamp(date)).sqlite"
  }

  /// The time a backup's name says, or nil for a name not of the pattern.
  public static func date(ofName name: String) -> Date? {
    guard name.hasPrefix("portfolio-"), name.hasSuffix(".sqlite") else { return nil }
    let stamp = name.dropFirst("portfolio-".count).dropLast(".sqlite".count)
    let parts = Array(stamp)
    guard parts.count == 16, parts[8] == "T", parts[15] == "Z" else { return nil }
    func number(_ range: Range<Int>) -> Int? { Int(String(parts[range])) }
    guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
      let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15)
    else { return nil }
    let components = DateComponents(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    guard components.isValidDate(in: utc), let date = utc.date(from: components),
      stamp == Self.stamp(date)
    else { return nil }
    return date
  }

  /// `20261203T194500Z`: the UTC stamp of backup names, also used for files kept by restore.
  public static func stamp(_ date: Date) -> String {
    let parts = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
    func digits(_ value: Int?, _ width: Int) -> String {
      let text = String(value ?? 0)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return digits(parts.year, 4) + digits(parts.month, 2) + digits(parts.day, 2) + "T"
      + digits(parts.hour, 2) + digits(parts.minute, 2) + digits(parts.second, 2) + "Z"
  }

  /// Backups in the folder, newest first; an absent folder has none.
  public func list() -> [Entry] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.compactMap { name -> Entry? in
      guard let date = Self.date(ofName: name), let bytes = FileSync.size(filePath(name)) else { return nil }
      return Entry(name: name, bytes: bytes, createdAt: date)
    }
    .sorted { $0.createdAt > $1.createdAt }
  }

  /// Deletes all but the newest `keep` backups; other files are left alone. Returns the names
  /// deleted.
  @discardableResult
  public func prune(keep: Int) -> [String] {
    let surplus = list().dropFirst(max(keep, 0))
    var deleted: [String] = []
    for entry in surplus where unlink(filePath(entry.name)) == 0 { deleted.append(entry.name) }
    return deleted
  }

  public func filePath(_ name: String) -> String {
    URL(fileURLWithPath: path).appendingPathComponent(name).path
  }

  private static let utc: Calendar = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    return calendar
  }()
}
