/// A configuration value that cannot be used; the message names the key and where it came from.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
  public let key: String
  public let message: String

  public init(key: String, message: String) {
    self.key = key
    self.message = message
  }

  public var description: String { "configuration key '\(key)': \(message)" }
}
