/// One `simple/price` or `simple/token_price` request and the ids or addresses it carries.
struct CoinGeckoRequest: Sendable, Equatable {
  enum Target: Sendable, Equatable {
    /// Native coins by CoinGecko id.
    case coins
    /// Tokens by contract address on one asset platform.
    case tokens(platform: String)
  }

  let target: Target
  let url: String
  let items: [String]

  /// Requests for `ids`, as few as fit `maxURLLength` each.
  static func coins(_ ids: [String], base: String, maxURLLength: Int) -> [CoinGeckoRequest] {
    requests(
      .coins, prefix: "\(base)/simple/price?ids=", items: ids, maxURLLength: maxURLLength)
  }

  /// Requests for token `addresses` on `platform`, as few as fit `maxURLLength` each.
  static func tokens(_ addresses: [String], platform: String, base: String, maxURLLength: Int)
    -> [CoinGeckoRequest]
  {
    requests(
      .tokens(platform: platform), prefix: "\(base)/simple/token_price/\(platform)?contract_addresses=",
      items: addresses, maxURLLength: maxURLLength)
  }

  /// Ask for the price's own time, so a quote carries when CoinGecko last updated it.
  static let suffix = "&vs_currencies=usd&include_last_updated_at=true"

  private static func requests(_ target: Target, prefix: String, items: [String], maxURLLength: Int)
    -> [CoinGeckoRequest]
  {
    chunks(items, room: maxURLLength - prefix.utf8.count - suffix.utf8.count).map {
      CoinGeckoRequest(target: target, url: prefix + $0.joined(separator: ",") + suffix, items: $0)
    }
  }

  /// Consecutive runs of `items` whose comma-joined text fits `room` bytes; an item longer
  /// than `room` goes alone, since it cannot be split.
  static func chunks(_ items: [String], room: Int) -> [[String]] {
    var chunks: [[String]] = []
    var current: [String] = []
    var length = 0
    for item in items {
      let added = item.utf8.count + (current.isEmpty ? 0 : 1)
      if !current.isEmpty, length + added > room {
        chunks.append(current)
        current = []
        length = 0
      }
      length += item.utf8.count + (current.isEmpty ? 0 : 1)
      current.append(item)
    }
    if !current.isEmpty { chunks.append(current) }
    return chunks
  }
}
