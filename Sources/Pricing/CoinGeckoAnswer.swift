import Foundation
import PortfolioCore

/// A `simple/price` or `simple/token_price` answer: `{"<id or address>": {"usd": 3000.5,
/// "last_updated_at": 1700000000}}`. Prices are decoded as `Decimal`, which keeps the JSON
/// number's digits (no binary floating point), then turned into `USDPrice`.
struct CoinGeckoAnswer: Sendable {
  struct Entry: Sendable {
    let price: USDPrice?
    let updatedAt: Date?
  }

  let entries: [String: Entry]
  /// The same by lower-cased key, for keys the API may answer in another case.
  private let entriesByLowercasedKey: [String: Entry]

  /// nil when the body is not a JSON object; entries without a usable price have `price` nil.
  init?(json body: [UInt8]) {
    guard let decoded = try? JSONDecoder().decode([String: LenientEntry].self, from: Data(body)) else {
      return nil
    }
    entries = decoded.mapValues { Entry(price: $0.price, updatedAt: $0.updatedAt) }
    entriesByLowercasedKey = Dictionary(
      entries.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
  }

  /// The entry for `key`: exactly, or ignoring case where the API lower-cases what it was sent
  /// (EVM addresses); Solana mints are case-sensitive and only match exactly.
  func entry(for key: String, ignoringCase: Bool) -> Entry? {
    if let exact = entries[key] { return exact }
    return ignoringCase ? entriesByLowercasedKey[key.lowercased()] : nil
  }

  /// One asset's object; anything unexpected in it reads as "no price" rather than failing the
  /// whole answer, so one odd token cannot cost the others their prices.
  private struct LenientEntry: Decodable {
    let price: USDPrice?
    let updatedAt: Date?

    enum Keys: String, CodingKey {
      case usd
      case lastUpdatedAt = "last_updated_at"
    }

    init(from decoder: any Decoder) {
      let container = try? decoder.container(keyedBy: Keys.self)
      let usd = (try? container?.decodeIfPresent(Decimal.self, forKey: .usd)) ?? nil
      price = usd.flatMap { $0.isFinite && $0 > 0 ? USDPrice(text: $0.description) : nil }
      let seconds = (try? container?.decodeIfPresent(Int64.self, forKey: .lastUpdatedAt)) ?? nil
      updatedAt = seconds.flatMap { $0 > 0 ? Date(timeIntervalSince1970: TimeInterval($0)) : nil }
    }
  }
}
