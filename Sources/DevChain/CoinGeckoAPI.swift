import Foundation
import PortfolioCore

/// Answers CoinGecko's `simple/price`, `simple/token_price/{platform}` and `ping` from a
/// `PriceBook`, in CoinGecko's JSON: assets devchain has no price for are left out, and only
/// `usd` is served.
enum CoinGeckoAPI {
  static let root = "/coingecko/api/v3/"

  struct Answer {
    var status: Int
    var body: [UInt8]
    /// What the request counts as in the stats.
    var stats = CoinGeckoStats()
  }

  /// `route` is the path after `root`.
  static func answer(route: String, query: [(name: String, value: String)], prices: PriceBook) -> Answer {
    let arguments = Dictionary(query.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    if route == "ping" {
      return Answer(
        status: 200, body: Array(#"{"gecko_says":"(V3) To the Moon!"}"#.utf8), stats: counted("ping"))
    }
    if route == "simple/price" {
      return simplePrice(arguments, prices: prices)
    }
    let tokenPrefix = "simple/token_price/"
    if route.hasPrefix(tokenPrefix), route.count > tokenPrefix.count,
      !route.dropFirst(tokenPrefix.count).contains("/")
    {
      return tokenPrice(platform: String(route.dropFirst(tokenPrefix.count)), arguments, prices: prices)
    }
    return error(404, "devchain's CoinGecko API serves simple/price, simple/token_price/{platform} and ping")
  }

  private static func simplePrice(_ arguments: [String: String], prices: PriceBook) -> Answer {
    guard let ids = list(arguments["ids"]), !ids.isEmpty else { return error(400, "Missing parameter ids") }
    if let refusal = checkCurrencies(arguments) { return refusal }
    let found = ids.map(PriceBook.coinKey).compactMap { id in prices.coins[id].map { (id, $0) } }
    return Answer(
      status: 200, body: write(found, withTime: wantsTime(arguments)),
      stats: counted("simple/price", assets: ids.count))
  }

  private static func tokenPrice(platform: String, _ arguments: [String: String], prices: PriceBook) -> Answer
  {
    guard let addresses = list(arguments["contract_addresses"]), !addresses.isEmpty else {
      return error(400, "Missing parameter contract_addresses")
    }
    if let refusal = checkCurrencies(arguments) { return refusal }
    let known = prices.tokens[platform] ?? [:]
    let found = addresses.map(PriceBook.contractKey).compactMap { key in known[key].map { (key, $0) } }
    return Answer(
      status: 200, body: write(found, withTime: wantsTime(arguments)),
      stats: counted("simple/token_price", assets: addresses.count))
  }

  /// CoinGecko answers in many currencies; devchain knows only dollars.
  private static func checkCurrencies(_ arguments: [String: String]) -> Answer? {
    guard let currencies = list(arguments["vs_currencies"]), !currencies.isEmpty else {
      return error(400, "Missing parameter vs_currencies")
    }
    guard currencies.contains(where: { $0.lowercased() == "usd" }) else {
      return error(400, "devchain serves only usd prices; vs_currencies must include usd")
    }
    return nil
  }

  private static func wantsTime(_ arguments: [String: String]) -> Bool {
    arguments["include_last_updated_at"]?.lowercased() == "true"
  }

  /// Comma-separated values, trimmed, empty ones left out; nil when the argument is absent.
  private static func list(_ value: String?) -> [String]? {
    value.map { text in
      text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
  }

  /// `{"key":{"usd":<text as set>,"last_updated_at":<seconds>}}`: written by hand because the
  /// price must appear as a JSON number with exactly the text it was set with, which no JSON
  /// encoder that holds numbers in binary can promise.
  static func write(_ entries: [(key: String, entry: PriceBook.Entry)], withTime: Bool) -> [UInt8] {
    var output: [UInt8] = [UInt8(ascii: "{")]
    var written = Set<String>()
    for (key, entry) in entries where written.insert(key).inserted {
      if written.count > 1 { output.append(UInt8(ascii: ",")) }
      JSONValue.string(key).write(to: &output)
      output.append(contentsOf: #":{"usd":"#.utf8)
      output.append(contentsOf: entry.usd.text.utf8)
      if withTime {
        output.append(contentsOf: #","last_updated_at":"#.utf8)
        output.append(contentsOf: String(entry.updatedAt).utf8)
      }
      output.append(UInt8(ascii: "}"))
    }
    output.append(UInt8(ascii: "}"))
    return output
  }

  private static func counted(_ endpoint: String, assets: Int = 0) -> CoinGeckoStats {
    CoinGeckoStats(httpRequests: 1, calls: [endpoint: 1], assetsAsked: assets)
  }

  /// CoinGecko's shape for a bad request: `{"error":"..."}`.
  static func error(_ status: Int, _ message: String) -> Answer {
    Answer(
      status: status, body: JSONValue.object(["error": .string(message)]).jsonBytes,
      stats: CoinGeckoStats(httpRequests: 1))
  }

  /// CoinGecko's shape for refusals (401, 429): `{"status":{"error_code":..,"error_message":".."}}`.
  static func status(code: Int, _ message: String) -> [UInt8] {
    JSONValue.object([
      "status": ["error_code": .integer(Int64(code)), "error_message": .string(message)]
    ]).jsonBytes
  }
}
