public import Logging
public import PortfolioConfig

/// Installs the process-wide log handler once, before anything logs.
public enum LogSetup {
  public static func bootstrap(format: AppConfig.LogFormat, level: Logger.Level) {
    LoggingSystem.bootstrap { label in
      var handler: any LogHandler =
        switch format {
        case .text: StreamLogHandler.standardError(label: label)
        case .json: JSONLogHandler(label: label)
        }
      handler.logLevel = level
      return handler
    }
  }
}
