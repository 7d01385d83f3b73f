import Foundation
import PortfolioCore

/// Typed reads of the flat key map; every failure names the key and what was wrong.
struct ConfigReader {
  let values: [String: String]

  static let chainFields: Set<String> = [
    "family", "rpc_url", "chain_id", "native_symbol", "native_decimals", "poll_interval",
    "enabled", "requests_per_second", "multicall_address", "calls_per_multicall", "commitment",
    "coin_id", "price_platform", "price_feeds", "explorer_url",
  ]

  func text(_ key: String) throws(ConfigError) -> String {
    guard let value = values[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
      throw ConfigError(key: key, message: "is required but empty")
    }
    return value
  }

  /// A whole number in `range`, of the range's type (chain ids need all of UInt64's).
  func integer<Number: FixedWidthInteger>(_ key: String, in range: ClosedRange<Number>) throws(ConfigError)
    -> Number
  {
    let raw = try text(key)
    guard let value = Number(raw), range.contains(value) else {
      throw ConfigError(
        key: key,
        message: "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(raw)\"")
    }
    return value
  }

  func number(_ key: String, in range: ClosedRange<Double>) throws(ConfigError) -> Double {
    let raw = try text(key)
    guard let value = Double(raw), value.isFinite, range.contains(value) else {
      throw ConfigError(
        key: key, message: "must be a number from \(range.lowerBound) to \(range.upperBound), got \"\(raw)\"")
    }
    return value
  }

  func boolean(_ key: String) throws(ConfigError) -> Bool {
    let raw = try text(key).lowercased()
    if ["true", "yes", "on", "1"].contains(raw) { return true }
    if ["false", "no", "off", "0"].contains(raw) { return false }
    throw ConfigError(key: key, message: "must be true or false, got \"\(raw)\"")
  }

  func choice(_ key: String, _ allowed: [String]) throws(ConfigError) -> String? {
    let raw = try text(key).lowercased()
    guard allowed.contains(raw) else {
      throw ConfigError(
        key: key, message: "must be one of \(allowed.joined(separator: ", ")), got \"\(raw)\"")
    }
    return raw
  }

  /// A file path, or a `sqlite:` URL as the original DATABASE_URL allowed.
  func databasePath(_ key: String) throws(ConfigError) -> String {
    let raw = try text(key)
    for scheme in ["sqlite:///", "sqlite://", "sqlite:", "file://", "file:"] where raw.hasPrefix(scheme) {
      let path = String(raw.dropFirst(scheme.count))
      let absolute = scheme.hasSuffix("///") ? "/" + path : path
      guard !absolute.isEmpty else { break }
      return absolute
    }
    if raw.contains("://") {
      throw ConfigError(
        key: key, message: "must be a SQLite file path or sqlite:// URL, got \"\(raw)\"")
    }
    return raw
  }

  /// Keys outside the known sections are typos; a chain may be any name with known fields.
  func rejectUnknownKeys() throws(ConfigError) {
    let known = Set(ConfigDefaults.values.keys)
    for key in values.keys.sorted() where !known.contains(key) {
      let parts = key.split(separator: ".")
      if parts.count == 3, parts[0] == "chains", Self.chainFields.contains(String(parts[2])) {
        continue
      }
      // One entry of a map-valued key, as `--set` writes it; a chain's must be a known chain.
      if let entry = ConfigEntries.entryKey(key), entry.map == "prices.fixed" || values[entry.map] != nil {
        continue
      }
      throw ConfigError(key: key, message: "is not a configuration key")
    }
  }

  func chains() throws(ConfigError) -> [ChainName: AppConfig.ChainSettings] {
    let names = configuredChainNames
    var chains: [ChainName: AppConfig.ChainSettings] = [:]
    for name in names.sorted() {
      let prefix = "chains.\(name)"
      guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_" }) else {
        throw ConfigError(key: prefix, message: "chain names are lower case letters, digits, - and _")
      }
      if values["\(prefix).enabled"] != nil, try !boolean("\(prefix).enabled") { continue }
      guard let familyName = try choice("\(prefix).family", ChainFamily.allCases.map(\.rawValue)),
        let family = ChainFamily(rawValue: familyName)
      else { continue }
      let urls = try text("\(prefix).rpc_url").split(separator: ",")
        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      for url in urls where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
        throw ConfigError(
          key: "\(prefix).rpc_url",
          message: "must be http:// or https:// URLs, got \"\(URLRedaction.redact(url))\"")
      }
      // Any id EIP-2294 allows: test chains such as py-evm's 131277322940537 are above 2^31.
      let chainID: UInt64? =
        family == .evm ? try integer("\(prefix).chain_id", in: EVMChainID.valid) : nil
      var multicall: String?
      // Multicall3 sits at the same address on most EVM chains; "none" says it is absent.
      let multicallText =
        values["\(prefix).multicall_address"] ?? "0xcA11bde05977b3631167028862bE2a173976CA11"
      if family == .evm, !multicallText.isEmpty, multicallText != "none" {
        let text = multicallText
        do {
          multicall = try EVMAddress(parsing: text).checksummed
        } catch {
          throw ConfigError(key: "\(prefix).multicall_address", message: "\(error.description) (or \"none\")")
        }
      }
      let commitment =
        family != .solana
        ? nil
        : values["\(prefix).commitment"] == nil
          ? "confirmed" : try choice("\(prefix).commitment", ["processed", "confirmed", "finalized"])
      let explorer = values["\(prefix).explorer_url"]?.trimmingCharacters(in: .whitespaces) ?? ""
      if !explorer.isEmpty, !(explorer.hasPrefix("https://") || explorer.hasPrefix("http://")) {
        throw ConfigError(
          key: "\(prefix).explorer_url",
          message: "must be an http:// or https:// URL or empty, got \"\(explorer)\"")
      }
      let chain = Chain(name: ChainName(rawValue: name), family: family)
      let nativeSymbol = try text("\(prefix).native_symbol")
      let prices = try chainPrices(for: chain, nativeSymbol: nativeSymbol)
      chains[chain.name] = AppConfig.ChainSettings(
        chain: chain, rpcURLs: urls, chainID: chainID,
        nativeSymbol: nativeSymbol,
        nativeDecimals: try integer("\(prefix).native_decimals", in: 0...77),
        pollInterval: try number("\(prefix).poll_interval", in: 0.05...86400),
        requestsPerSecond: values["\(prefix).requests_per_second"] == nil
          ? 10 : try number("\(prefix).requests_per_second", in: 0...100_000),
        multicallAddress: multicall,
        callsPerMulticall: values["\(prefix).calls_per_multicall"] == nil
          ? 200 : try integer("\(prefix).calls_per_multicall", in: 1...10_000),
        commitment: commitment, coinID: prices.coinID, pricePlatform: prices.platform,
        priceFeeds: prices.feeds,
        explorerURL: explorer.isEmpty ? nil : String(explorer.reversed().drop { $0 == "/" }.reversed()))
    }
    if chains.isEmpty { throw ConfigError(key: "chains", message: "no chain is enabled") }
    return chains
  }
}
