public import BigInt
public import PortfolioCore

/// Calldata and results of the Chainlink AggregatorV3Interface reads a price needs.
public enum AggregatorV3Calls {
  /// `latestRoundData()` returns (uint80 roundId, int256 answer, uint256 startedAt,
  /// uint256 updatedAt, uint80 answeredInRound). The answer is read as its 256-bit word and
  /// its sign taken from the top bit, since the ABI types here are unsigned.
  public static let latestRoundDataFunction = ABIFunction(
    name: "latestRoundData", inputs: [],
    outputs: [.uint(bits: 80), .uint256, .uint256, .uint256, .uint(bits: 80)])
  public static let decimalsFunction = ABIFunction(name: "decimals", inputs: [], outputs: [.uint(bits: 8)])

  /// Selector feaf968c.
  public static let latestRoundData: [UInt8] = latestRoundDataFunction.selector
  /// Selector 313ce567.
  public static let decimals: [UInt8] = decimalsFunction.selector

  /// A `latestRoundData()` result with the feed's `decimals()`.
  public static func decodeAnswer(roundData: [UInt8], decimals: [UInt8]) throws(ABIDecodingError)
    -> FeedAnswer
  {
    let values = try latestRoundDataFunction.decodeOutput(roundData)
    let words = values.compactMap(\.uintValue)
    let places = try ERC20Calls.decodeDecimals(decimals)
    // decodeOutput yields five uints for these five outputs, or throws.
    guard words.count == 5 else {
      throw ABIDecodingError(kind: .truncated, offset: 0, reason: "latestRoundData needs five words")
    }
    return FeedAnswer(
      roundID: words[0], answer: signed(words[1]), startedAt: words[2], updatedAt: words[3],
      answeredInRound: words[4], decimals: places)
  }

  /// A 256-bit two's complement word as a signed number.
  static func signed(_ word: BigUInt) -> BigInt {
    let half = BigUInt(1) << 255
    return word < half ? BigInt(word) : BigInt(word) - (BigInt(1) << 256)
  }
}

/// One feed's latest round, as the contract answered it.
public struct FeedAnswer: Sendable, Hashable {
  public let roundID: BigUInt
  /// The price scaled by 10^decimals; zero or negative when the feed has no usable price.
  public let answer: BigInt
  public let startedAt: BigUInt
  /// Unix seconds of the answer; 0 for a round that never completed.
  public let updatedAt: BigUInt
  public let answeredInRound: BigUInt
  public let decimals: UInt8

  public init(
    roundID: BigUInt, answer: BigInt, startedAt: BigUInt, updatedAt: BigUInt, answeredInRound: BigUInt,
    decimals: UInt8
  ) {
    self.roundID = roundID
    self.answer = answer
    self.startedAt = startedAt
    self.updatedAt = updatedAt
    self.answeredInRound = answeredInRound
    self.decimals = decimals
  }
}
