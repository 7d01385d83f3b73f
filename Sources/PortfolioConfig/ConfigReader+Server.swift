import Foundation
import PortfolioCore

/// The server's keys that are more than a number: the CORS allow-list and the TLS files.
extension ConfigReader {
  /// Comma-separated exact origins. A wildcard or a path is refused rather than read loosely:
  /// the list decides which other sites may act on the server from a browser.
  func origins(_ key: String) throws(ConfigError) -> [WebOrigin] {
    var origins: [WebOrigin] = []
    for part in (values[key] ?? "").split(separator: ",") {
      let entry = part.trimmingCharacters(in: .whitespaces)
      if entry.isEmpty { continue }
      if entry == "*" || entry.lowercased() == "null" {
        throw ConfigError(
          key: key,
          message: "\"\(entry)\" is not allowed; list each origin exactly, as https://app.example.com")
      }
      guard let origin = WebOrigin(parsing: entry) else {
        let trimmed = entry.hasSuffix("/") ? String(entry.dropLast()) : nil
        let hint = trimmed.flatMap(WebOrigin.init(parsing:)).map { "; did you mean \($0)?" } ?? ""
        throw ConfigError(
          key: key,
          message: "\"\(entry)\" is not an origin: http:// or https://, a host and an optional port, "
            + "with no path\(hint)")
      }
      if !origins.contains(origin) { origins.append(origin) }
    }
    return origins
  }

  /// Both files or neither; each must be readable now (their contents are checked when the
  /// server starts, where they are loaded).
  func tlsFiles() throws(ConfigError) -> AppConfig.TLSFiles? {
    let certificate = optionalText("server.tls_cert")
    let privateKey = optionalText("server.tls_key")
    guard certificate != nil || privateKey != nil else { return nil }
    guard let certificate else {
      throw ConfigError(key: "server.tls_cert", message: "is required when server.tls_key is set")
    }
    guard let privateKey else {
      throw ConfigError(key: "server.tls_key", message: "is required when server.tls_cert is set")
    }
    for (key, path) in [("server.tls_cert", certificate), ("server.tls_key", privateKey)] {
      try Self.requireReadableFile(key, path)
    }
    return AppConfig.TLSFiles(certificatePath: certificate, privateKeyPath: privateKey)
  }

  private static func requireReadableFile(_ key: String, _ path: String) throws(ConfigError) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ConfigError(key: key, message: "no file at \(path)")
    }
    guard !isDirectory.boolValue else {
      throw ConfigError(key: key, message: "\(path) is a directory, not a file")
    }
    guard FileManager.default.isReadableFile(atPath: path) else {
      throw ConfigError(key: key, message: "\(path) cannot be read by this process (check its permissions)")
    }
  }
}

extension ConfigReader {
  /// `auto` asks for tokens unless the server listens on loopback only. Off is refused on any
  /// other address: every request would act for the first user, whoever sent it.
  func authRequired(host: String) throws(ConfigError) -> Bool {
    let key = "server.auth_required"
    let loopback = Self.isLoopback(host)
    if (values[key] ?? "auto").lowercased() == "auto" { return !loopback }
    let required = try boolean(key)
    if !required && !loopback {
      throw ConfigError(
        key: key,
        message: "cannot be false while server.host is \(host): off loopback every request must bring a token"
      )
    }
    return required
  }

  static func isLoopback(_ host: String) -> Bool {
    let name = host.lowercased()
    return name == "localhost" || name == "::1" || name == "[::1]"
      || (name.hasPrefix("127.") && name.split(separator: ".").count == 4)
  }
}

extension ConfigReader {
  /// RFC 8292 asks for a contact: a mailto: or https: URI.
  func vapidSubject(_ key: String) throws(ConfigError) -> String {
    let subject = try text(key)
    guard subject.hasPrefix("mailto:") || subject.hasPrefix("https://"), subject.count > 8 else {
      throw ConfigError(key: key, message: "must be a mailto: or https: contact, got \"\(subject)\"")
    }
    return subject
  }
}
