import Foundation
import PortfolioCore

/// Typed reads of the `prices.*` and `coingecko.*` keys.
extension ConfigReader {
  func prices(chains: [ChainName: AppConfig.ChainSettings]) throws(ConfigError) -> AppConfig.Prices {
    AppConfig.Prices(
      refreshInterval: try positiveNumber("prices.refresh_interval", atMost: 86400),
      maxAge: try positiveNumber("prices.max_age", atMost: 31_536_000),
      pushThresholdPercent: try number("prices.push_threshold", in: 0...100),
      fixed: try fixedPrices(chains: chains),
      sources: try priceSources())
  }

  func coinGecko() throws(ConfigError) -> AppConfig.CoinGecko {
    let plan =
      try choice("coingecko.api_plan", AppConfig.CoinGecko.Plan.allCases.map(\.rawValue))
      .flatMap(AppConfig.CoinGecko.Plan.init(rawValue:)) ?? .demo
    var url = try text("coingecko.api_url")
    guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
      throw ConfigError(
        key: "coingecko.api_url", message: "must be an http:// or https:// URL, got \"\(url)\"")
    }
    while url.hasSuffix("/") { url.removeLast() }
    // A pro key is refused at the public root: the plan picks the root unless one is set.
    if plan == .pro, url == AppConfig.CoinGecko.publicURL { url = AppConfig.CoinGecko.proURL }
    let key = optionalText("coingecko.api_key")
    if let key, !key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) {
      throw ConfigError(key: "coingecko.api_key", message: "must be printable ASCII without spaces")
    }
    return AppConfig.CoinGecko(
      apiURL: url, apiKey: key, plan: plan,
      requestsPerMinute: try number("coingecko.requests_per_minute", in: 0...1_000_000),
      maxURLLength: try integer("coingecko.max_url_length", in: 256...65536),
      timeout: try positiveNumber("coingecko.timeout", atMost: 600))
  }

  /// Trimmed text, nil when absent or empty.
  func optionalText(_ key: String) -> String? {
    guard let value = values[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
    return value
  }

  /// A number above zero (fractions allowed) and at most `maximum`.
  func positiveNumber(_ key: String, atMost maximum: Double) throws(ConfigError) -> Double {
    let raw = try text(key)
    guard let value = Double(raw), value.isFinite, value > 0, value <= maximum else {
      throw ConfigError(key: key, message: "must be a number above 0 and at most \(maximum), got \"\(raw)\"")
    }
    return value
  }

  /// `prices.sources`: names in order, or `none` for no prices at all.
  private func priceSources() throws(ConfigError) -> [PriceSourceKind] {
    let key = "prices.sources"
    let raw = try text(key)
    if raw.lowercased() == "none" { return [] }
    var sources: [PriceSourceKind] = []
    for name in raw.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
    where !name.isEmpty {
      guard let source = PriceSourceKind(rawValue: name) else {
        let allowed = PriceSourceKind.allCases.map(\.rawValue).joined(separator: ", ")
        throw ConfigError(key: key, message: "\"\(name)\" is not a price source; use \(allowed), or none")
      }
      guard !sources.contains(source) else {
        throw ConfigError(key: key, message: "\"\(name)\" is listed twice")
      }
      sources.append(source)
    }
    return sources
  }

  /// `prices.fixed`: `chain:token=price` entries, `native` for the chain's coin. An entry for a
  /// chain that is configured but disabled is ignored; an unknown chain is an error.
  private func fixedPrices(chains: [ChainName: AppConfig.ChainSettings]) throws(ConfigError)
    -> [AssetKey: USDPrice]
  {
    var prices: [AssetKey: USDPrice] = [:]
    for entry in try entries("prices.fixed") {
      guard let colon = entry.name.firstIndex(of: ":") else {
        throw ConfigError(
          key: entry.key, message: "\"\(entry.name)\" is not chain:token or chain:native (solana:native)")
      }
      let chainName = ChainName(parsing: String(entry.name[..<colon]))
      let tokenText = String(entry.name[entry.name.index(after: colon)...])
      guard let settings = chains[chainName] else {
        if configuredChainNames.contains(chainName.rawValue) { continue }
        throw ConfigError(key: entry.key, message: "\"\(chainName)\" is not a configured chain")
      }
      let token = try assetToken(tokenText, on: settings, key: entry.key)
      guard let price = USDPrice(text: entry.value) else {
        throw ConfigError(
          key: entry.key,
          message: "the price of \(entry.name) must be a decimal above 0, got \"\(entry.value)\"")
      }
      let asset = AssetKey(chain: chainName, token: token)
      guard prices[asset] == nil else {
        throw ConfigError(key: entry.key, message: "\(asset) is given twice")
      }
      prices[asset] = price
    }
    return prices
  }

  /// A token as `AssetKey` keeps it (EIP-55, or base58), or nil for `native`.
  func assetToken(_ text: String, on settings: AppConfig.ChainSettings, key: String) throws(ConfigError)
    -> String?
  {
    if text.lowercased() == "native" { return nil }
    do {
      switch settings.chain.family {
      case .evm: return try EVMAddress(parsing: text).checksummed
      case .solana: return try SolanaAddress(parsing: text).base58
      }
    } catch {
      throw ConfigError(
        key: key, message: "\(settings.chain.name) token \"\(text)\": \(error.description) (or native)")
    }
  }

  /// The entries of a map-valued key: its text form, then any `key.name` set one by one (by
  /// `--set`), which replace the same name. Each entry carries the key to name in errors.
  func entries(_ key: String) throws(ConfigError) -> [(name: String, value: String, key: String)] {
    var entries = try ConfigEntries.parse(values[key] ?? "", key: key).map { ($0.name, $0.value, key) }
    for (single, value) in values.sorted(by: { $0.key < $1.key }) {
      guard let target = ConfigEntries.entryKey(single), target.map == key else { continue }
      let text = value.trimmingCharacters(in: .whitespaces)
      entries.removeAll { $0.0 == target.name }
      if !text.isEmpty { entries.append((target.name, text, single)) }
    }
    return entries.map { (name: $0.0, value: $0.1, key: $0.2) }
  }

  /// Every chain named in the keys, enabled or not.
  var configuredChainNames: Set<String> {
    Set(
      values.keys.compactMap { key -> String? in
        let parts = key.split(separator: ".")
        return parts.count == 3 && parts[0] == "chains" ? String(parts[1]) : nil
      })
  }
}
