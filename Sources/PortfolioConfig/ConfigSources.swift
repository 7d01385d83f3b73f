import Foundation
import Yams

/// Reads the layers of configuration into flat `section.key` → text maps.
public enum ConfigSources {
  /// A YAML file's leaves as dotted key paths; lists become comma-separated text.
  public static func file(at path: String) throws(ConfigError) -> [String: String] {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ConfigError(key: "config", message: "cannot read \(path): \(error.localizedDescription)")
    }
    return try yaml(text, origin: path)
  }

  static func yaml(_ text: String, origin: String) throws(ConfigError) -> [String: String] {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch {
      throw ConfigError(key: "config", message: "\(origin) is not valid YAML: \(error)")
    }
    var values: [String: String] = [:]
    if let node { try flatten(node, prefix: "", into: &values, origin: origin) }
    return values
  }

  private static func flatten(
    _ node: Node, prefix: String, into values: inout [String: String], origin: String
  ) throws(ConfigError) {
    switch node {
    case .mapping(let mapping) where ConfigEntries.isMapValued(prefix):
      // One value, as its environment variable spells it: the file then replaces the default
      // map as a whole, as the variable would.
      var entries: [(name: String, value: String)] = []
      for (key, value) in mapping {
        guard let name = key.string, let text = value.scalar?.string else {
          throw ConfigError(key: prefix, message: "\(origin) maps names to text here, as in {ETH: \"0x…\"}")
        }
        entries.append((name, text))
      }
      values[prefix] = ConfigEntries.joined(entries)
    case .mapping(let mapping):
      for (key, value) in mapping {
        guard let name = key.string else {
          throw ConfigError(key: prefix, message: "\(origin) has a key that is not text")
        }
        try flatten(
          value, prefix: prefix.isEmpty ? name : "\(prefix).\(name)", into: &values,
          origin: origin)
      }
    case .sequence(let sequence):
      values[prefix] = sequence.compactMap(\.string).joined(separator: ",")
    case .scalar(let scalar):
      let isNull = scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
      if !isNull { values[prefix] = scalar.string }
    case .alias:
      throw ConfigError(key: prefix, message: "\(origin) uses YAML anchors, which are not supported")
    }
  }

  /// The environment variable for a key: its path in upper snake case; chain keys drop the
  /// `CHAINS_` prefix (`chains.ethereum.rpc_url` → `ETHEREUM_RPC_URL`).
  public static func environmentName(for key: String) -> String {
    let path = key.hasPrefix("chains.") ? String(key.dropFirst("chains.".count)) : key
    return path.replacingOccurrences(of: ".", with: "_").uppercased()
  }

  /// Shorter names a few keys also answer to, as deployments commonly spell them. The key's
  /// own name wins when both are set.
  static let environmentAliases: [String: String] = [
    "server.cors_allowed_origins": "CORS_ALLOWED_ORIGINS",
    "server.tls_cert": "TLS_CERT",
    "server.tls_key": "TLS_KEY",
    "server.auth_required": "AUTH_REQUIRED",
  ]

  /// Every environment variable that sets a key, the preferred one first.
  public static func environmentNames(for key: String) -> [String] {
    [environmentName(for: key)] + (environmentAliases[key].map { [$0] } ?? [])
  }

  /// Overrides from the environment for every known key, also under the full `CHAINS_` name
  /// and under an alias.
  public static func environment(
    _ environment: [String: String], knownKeys: some Sequence<String>
  ) -> [String: String] {
    var values: [String: String] = [:]
    for key in knownKeys {
      let full = key.replacingOccurrences(of: ".", with: "_").uppercased()
      if let value = ([full] + environmentNames(for: key)).lazy.compactMap({ environment[$0] }).first {
        values[key] = value
      }
    }
    return values
  }
}
