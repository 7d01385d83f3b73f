/// The USD prices devchain's CoinGecko API answers with: by coin id, and by platform and
/// contract address.
struct PriceBook: Sendable {
  struct Entry: Sendable, Equatable {
    /// The price as it was set, written into the JSON answer unchanged.
    var usd: DecimalText
    /// Unix seconds.
    var updatedAt: Int64
  }

  var coins: [String: Entry] = [:]
  /// Platform id → contract key (see `contractKey`) → price.
  var tokens: [String: [String: Entry]] = [:]

  /// How CoinGecko names a contract in its answers: EVM addresses in lower case, whatever case
  /// was asked; anything else (base58 Solana mints) is case-sensitive and kept as it is.
  static func contractKey(_ address: String) -> String {
    isEVMAddress(address) ? address.lowercased() : address
  }

  /// `0x` and 40 hex digits in any case; no checksum check, as CoinGecko makes none.
  static func isEVMAddress(_ text: String) -> Bool {
    let utf8 = text.utf8
    return utf8.count == 42 && (text.hasPrefix("0x") || text.hasPrefix("0X"))
      && utf8.dropFirst(2).allSatisfy { $0.isHexDigit }
  }

  /// Coin ids are lower case at CoinGecko.
  static func coinKey(_ id: String) -> String { id.lowercased() }
}

extension UInt8 {
  fileprivate var isHexDigit: Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
      || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self)
      || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(self)
  }
}
