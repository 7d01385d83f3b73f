import Foundation
public import Logging
import PortfolioCore
import Synchronization

/// One JSON object per line on standard error: `ts`, `level`, `logger`, `message` and metadata.
public struct JSONLogHandler: LogHandler {
  public var metadata: Logger.Metadata = [:]
  public var logLevel: Logger.Level = .info
  private let label: String
  private static let output = Mutex(())

  public init(label: String) {
    self.label = label
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    var object: [String: JSONValue] = [
      "ts": .string(Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
      "level": .string(event.level.rawValue),
      "logger": .string(label),
      "message": .string("\(event.message)"),
    ]
    for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
      object[key] = .string("\(value)")
    }
    var line = Data(JSONValue.object(object).jsonBytes)
    line.append(0x0A)
    Self.output.withLock { _ in FileHandle.standardError.write(line) }
  }
}
