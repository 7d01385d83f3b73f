import Foundation

/// Keys whose value is a map, written `name=value,name=value` in one environment variable or
/// flag, or as a YAML mapping in a file: `prices.fixed` and each chain's `price_feeds`.
enum ConfigEntries {
  static func isMapValued(_ key: String) -> Bool {
    let parts = key.split(separator: ".", omittingEmptySubsequences: false)
    return key == "prices.fixed" || (parts.count == 3 && parts[0] == "chains" && parts[2] == "price_feeds")
  }

  /// The map key a dotted key sets one entry of (`chains.ethereum.price_feeds.ETH` sets `ETH` of
  /// `chains.ethereum.price_feeds`), as `--set` may write it; nil for other keys.
  static func entryKey(_ key: String) -> (map: String, name: String)? {
    let parts = key.split(separator: ".", omittingEmptySubsequences: false)
    if parts.count == 3, parts[0] == "prices", parts[1] == "fixed", !parts[2].isEmpty {
      return ("prices.fixed", String(parts[2]))
    }
    if parts.count == 4, parts[0] == "chains", parts[2] == "price_feeds", !parts[3].isEmpty {
      return (parts[0...2].joined(separator: "."), String(parts[3]))
    }
    return nil
  }

  /// The text form of a YAML mapping's entries.
  static func joined(_ entries: [(name: String, value: String)]) -> String {
    entries.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
  }

  /// `name=value` entries in their order; blank entries are skipped. A name given twice is an
  /// error, since one of the two would be silently lost.
  static func parse(_ text: String, key: String) throws(ConfigError) -> [(name: String, value: String)] {
    var entries: [(name: String, value: String)] = []
    for part in text.split(separator: ",") {
      let entry = part.trimmingCharacters(in: .whitespaces)
      if entry.isEmpty { continue }
      guard let equals = entry.firstIndex(of: "=") else {
        throw ConfigError(key: key, message: "entry \"\(entry)\" is not name=value")
      }
      let name = entry[..<equals].trimmingCharacters(in: .whitespaces)
      let value = entry[entry.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      guard !name.isEmpty, !value.isEmpty else {
        throw ConfigError(key: key, message: "entry \"\(entry)\" needs a name and a value")
      }
      if entries.contains(where: { $0.name == name }) {
        throw ConfigError(key: key, message: "\"\(name)\" is given twice")
      }
      entries.append((name, value))
    }
    return entries
  }
}
