import Metrics

/// Backups into the backup folder for `/metrics`, by outcome (`ok` or `failed`).
enum BackupMetrics {
  static func taken(ok: Bool) {
    Counter(label: "portfolio_backups_total", dimensions: [("outcome", ok ? "ok" : "failed")]).increment()
  }
}
