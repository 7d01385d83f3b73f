import Foundation

extension ConfigReader {
  /// `backup.*`: the folder defaults to `backups` beside the database file.
  func backup(databasePath: String) throws(ConfigError) -> AppConfig.Backup {
    var directory = optionalText("backup.directory") ?? ""
    if directory.isEmpty {
      directory =
        URL(fileURLWithPath: databasePath).deletingLastPathComponent()
        .appendingPathComponent("backups").path
    }
    return AppConfig.Backup(
      directory: directory,
      interval: try integer("backup.interval", in: 0...(366 * 86400)),
      keep: try integer("backup.keep", in: 1...10_000))
  }
}
