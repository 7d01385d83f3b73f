import BigInt
import Foundation
import PortfolioCore

/// The control API's price operations: CoinGecko prices by coin id or by contract, Chainlink
/// feeds on the EVM, and the CoinGecko API key check. A nil `usd` removes the price or feed.
extension DevChain {
  /// What a feed answers after it was set.
  public struct FeedRound: Sendable, Equatable {
    /// The answer as decimal text: usd × 10^decimals.
    public let answer: String
    public let roundID: UInt64
    public let updatedAt: UInt64
  }

  /// Sets the USD price of a CoinGecko coin id (`ethereum`, `solana`, ...); `usd` is decimal
  /// text above zero, answered exactly as given. `updatedAt` is unix seconds, now by default.
  public func setCoinPrice(coin: String, usd: String?, updatedAt: Int64? = nil) throws(ControlError) {
    guard !coin.isEmpty else { throw ControlError(message: "coin must be a CoinGecko coin id") }
    let entry = try usd.map { text throws(ControlError) in try Self.apiEntry(text, updatedAt: updatedAt) }
    state.withLock { $0.prices.coins[PriceBook.coinKey(coin)] = entry }
  }

  /// Sets the USD price of a token by CoinGecko platform id (`ethereum`, `solana`, ...) and
  /// contract address or mint; returns the address as the API answers it (EVM addresses in
  /// lower case).
  @discardableResult
  public func setTokenPrice(platform: String, contract: String, usd: String?, updatedAt: Int64? = nil)
    throws(ControlError) -> String
  {
    guard !platform.isEmpty else { throw ControlError(message: "platform must be a CoinGecko platform id") }
    let key = PriceBook.contractKey(contract)
    let looksLikeAddress =
      PriceBook.isEVMAddress(contract)
      || (!contract.hasPrefix("0x") && !contract.isEmpty
        && !contract.contains(where: { $0 == "," || $0.isWhitespace }))
    guard looksLikeAddress else {
      throw ControlError(
        message: "contract must be 0x and 40 hex digits, or a mint address without commas or spaces, "
          + "got \"\(contract)\"")
    }
    let entry = try usd.map { text throws(ControlError) in try Self.apiEntry(text, updatedAt: updatedAt) }
    state.withLock { state in
      state.prices.tokens[platform, default: [:]][key] = entry
      if state.prices.tokens[platform]?.isEmpty == true { state.prices.tokens[platform] = nil }
    }
    return key
  }

  /// Puts a Chainlink AggregatorV3 feed at `address` on the EVM answering `usd × 10^decimals`;
  /// `usd` may be zero or negative. Setting it again starts a new round. Returns nil when the
  /// feed was removed.
  @discardableResult
  public func setPriceFeed(
    chain: String, address: String, usd: String?, decimals: UInt8 = 8, updatedAt: Int64? = nil,
    description: String? = nil
  ) throws(ControlError) -> FeedRound? {
    guard chain == "ethereum" else {
      throw ControlError(message: "price feeds live on ethereum, not \"\(chain)\"")
    }
    let feedAddress = try Self.evm(address)
    guard let usd else {
      state.withLock { _ = $0.ethereum.feeds.removeValue(forKey: feedAddress) }
      return nil
    }
    guard let decimal = DecimalText(usd) else { throw Self.notADecimal("usd", usd) }
    guard let answer = decimal.scaled(by: Int(decimals), maxDigits: PriceFeed.maxAnswerDigits) else {
      throw ControlError(
        message: "usd \(usd) × 10^\(decimals) must be a whole number of at most "
          + "\(PriceFeed.maxAnswerDigits) digits: give at most \(decimals) digits after the point")
    }
    let seconds = UInt64(try Self.timestamp(updatedAt))
    return try state.withLock { state throws(ControlError) -> FeedRound in
      guard state.ethereum.tokens[feedAddress] == nil, feedAddress != Multicall3.address else {
        throw ControlError(
          message: "\(feedAddress.checksummed) is already a contract; give the feed its own address")
      }
      let previous = state.ethereum.feeds[feedAddress]
      let feed = PriceFeed(
        answer: answer, decimals: decimals, roundID: (previous?.roundID ?? 0) + 1, updatedAt: seconds,
        description: description ?? previous?.description ?? "devchain / USD")
      state.ethereum.feeds[feedAddress] = feed
      return FeedRound(answer: String(feed.answer), roundID: feed.roundID, updatedAt: feed.updatedAt)
    }
  }

  /// Makes the CoinGecko API require `check.key` in the plan's header; nil lets every request in.
  public func setCoinGeckoKeyCheck(_ check: CoinGeckoKeyCheck?) {
    state.withLock { $0.coinGeckoKeyCheck = check }
  }

  public var coinGeckoStats: CoinGeckoStats { state.withLock { $0.coinGeckoStats } }

  private static func apiEntry(_ usd: String, updatedAt: Int64?) throws(ControlError) -> PriceBook.Entry {
    guard let decimal = DecimalText(usd) else { throw notADecimal("usd", usd) }
    guard decimal.isPositive else {
      throw ControlError(
        message: "usd must be above zero for the CoinGecko API, got \(usd); feeds accept zero and below")
    }
    return PriceBook.Entry(usd: decimal, updatedAt: try timestamp(updatedAt))
  }

  private static func timestamp(_ seconds: Int64?) throws(ControlError) -> Int64 {
    guard let seconds else { return Int64(Date().timeIntervalSince1970) }
    guard seconds >= 0 else { throw ControlError(message: "updated_at must be unix seconds, got \(seconds)") }
    return seconds
  }

  private static func notADecimal(_ field: String, _ text: String) -> ControlError {
    ControlError(message: "\(field) must be a decimal number such as \"3000.5\", got \"\(text)\"")
  }
}
