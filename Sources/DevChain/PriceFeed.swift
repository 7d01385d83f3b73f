import BigInt
import PortfolioCore

/// A Chainlink AggregatorV3 price feed living at an address on devchain's EVM: answers
/// `latestRoundData()`, `decimals()`, `description()` and `version()` as a feed proxy does.
struct PriceFeed: Sendable, Equatable {
  /// The price × 10^decimals; zero and negative answers are allowed, so clients' refusal of
  /// them can be tested.
  var answer: BigInt
  var decimals: UInt8
  /// Starts at 1 and grows by one each time the feed is set.
  var roundID: UInt64
  /// Unix seconds; also the round's `startedAt`.
  var updatedAt: UInt64
  var description: String

  /// int256 holds answers of magnitude below 2^255, which all numbers of 76 digits are.
  static let maxAnswerDigits = 76

  /// Runs one call to the feed; an unknown function reverts.
  func execute(_ calldata: [UInt8]) -> (success: Bool, returnData: [UInt8]) {
    let selector = Array(calldata.prefix(4))
    let output: [UInt8]?
    switch selector {
    case AggregatorV3.latestRoundData.selector:
      output = try? AggregatorV3.latestRoundData.encodeOutput([
        .uint(BigUInt(roundID)), .uint(Self.int256Word(answer)), .uint(BigUInt(updatedAt)),
        .uint(BigUInt(updatedAt)), .uint(BigUInt(roundID)),
      ])
    case AggregatorV3.decimals.selector:
      output = try? AggregatorV3.decimals.encodeOutput([.uint(BigUInt(decimals))])
    case AggregatorV3.description.selector:
      output = try? AggregatorV3.description.encodeOutput([.string(description)])
    case AggregatorV3.version.selector:
      output = try? AggregatorV3.version.encodeOutput([.uint(4)])
    default:
      output = nil
    }
    return output.map { (true, $0) } ?? (false, [])
  }

  /// An int256 as the uint256 with the same bits: two's complement for negative values.
  static func int256Word(_ value: BigInt) -> BigUInt {
    value.sign == .minus ? (BigUInt(1) << 256) - value.magnitude : value.magnitude
  }
}

/// The AggregatorV3Interface functions devchain's feeds answer.
enum AggregatorV3 {
  /// (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80
  /// answeredInRound). The project's ABI encoder has no signed integers: the answer goes in as
  /// its two's-complement uint256, which is the same word. Selector 0xfeaf968c.
  static let latestRoundData = ABIFunction(
    name: "latestRoundData", inputs: [],
    outputs: [.uint(bits: 80), .uint256, .uint256, .uint256, .uint(bits: 80)])
  /// Selector 0x313ce567, the same as ERC-20's.
  static let decimals = ERC20Calls.decimalsFunction
  static let description = ABIFunction(name: "description", inputs: [], outputs: [.string])
  static let version = ABIFunction(name: "version", inputs: [], outputs: [.uint256])
}
