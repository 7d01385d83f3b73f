import BigInt
import PortfolioCore

/// Devchain's state for one EVM chain: native balances, ERC-20 tokens and price feeds.
struct EVMLedger: Sendable {
  struct Token: Sendable {
    var symbol: String
    var decimals: UInt8
    var balances: [EVMAddress: BigUInt] = [:]
  }

  var chainID: UInt64
  var block: UInt64 = 21_000_000
  var native: [EVMAddress: BigUInt] = [:]
  var tokens: [EVMAddress: Token] = [:]
  var feeds: [EVMAddress: PriceFeed] = [:]
  /// Off simulates a chain without Multicall3, where readers must fall back to batches.
  var multicallEnabled = true
  /// More calls than this in one aggregate3 fails as "out of gas", as a node's gas cap does.
  var maxCallsPerMulticall = 5_000

  init(chainID: UInt64) {
    self.chainID = chainID
  }

  /// Runs one contract call: Multicall3's helpers, a price feed read or an ERC-20 read.
  func execute(target: EVMAddress, calldata: [UInt8]) -> (success: Bool, returnData: [UInt8]) {
    let selector = Array(calldata.prefix(4))
    if target == Multicall3.address, multicallEnabled {
      if selector == Multicall3.getEthBalanceFunction.selector,
        let owner = try? Multicall3.getEthBalanceFunction.decodeCall(calldata).first?.addressValue
      {
        return word(native[owner] ?? 0)
      }
      if selector == Multicall3.getBlockNumber { return word(BigUInt(block)) }
      return (false, [])
    }
    if let feed = feeds[target] { return feed.execute(calldata) }
    guard let token = tokens[target] else {
      // No code at the address: the EVM returns success with empty data.
      return (true, [])
    }
    switch selector {
    case ERC20Calls.balanceOfFunction.selector:
      guard let owner = try? ERC20Calls.balanceOfFunction.decodeCall(calldata).first?.addressValue else {
        return (false, [])
      }
      return word(token.balances[owner] ?? 0)
    case ERC20Calls.decimals:
      return word(BigUInt(token.decimals))
    case ERC20Calls.symbol:
      return ((try? ERC20Calls.symbolFunction.encodeOutput([.string(token.symbol)])).map { (true, $0) })
        ?? (false, [])
    default:
      return (false, [])  // revert: the token has no such function
    }
  }

  /// Whether a contract lives at `target`, as `eth_getCode` tells.
  func hasCode(_ target: EVMAddress) -> Bool {
    tokens[target] != nil || feeds[target] != nil || (target == Multicall3.address && multicallEnabled)
  }

  private func word(_ value: BigUInt) -> (Bool, [UInt8]) {
    ((try? ERC20Calls.balanceOfFunction.encodeOutput([.uint(value)])).map { (true, $0) }) ?? (false, [])
  }
}
