/// An asset as prices and totals name it: a chain's native coin (`token` nil) or one of its
/// tokens, by the address the balances store it under (EIP-55 for EVM, base58 for Solana).
public struct AssetKey: Sendable, Hashable, Comparable, CustomStringConvertible {
  public let chain: ChainName
  public let token: String?

  public init(chain: ChainName, token: String?) {
    self.chain = chain
    self.token = token.flatMap { $0.isEmpty ? nil : $0 }
  }

  /// `token` as SQLite keeps it: '' for the native coin.
  public var storedToken: String { token ?? "" }

  public var isNative: Bool { token == nil }

  public var description: String { token.map { "\(chain.rawValue):\($0)" } ?? "\(chain.rawValue):native" }

  /// Native coins first within a chain, then tokens by address.
  public static func < (left: AssetKey, right: AssetKey) -> Bool {
    if left.chain != right.chain { return left.chain < right.chain }
    switch (left.token, right.token) {
    case (nil, nil): return false
    case (nil, _): return true
    case (_, nil): return false
    case (let a?, let b?): return a < b
    }
  }
}
