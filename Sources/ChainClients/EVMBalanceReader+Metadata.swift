public import PortfolioCore

/// ERC-20 symbol and decimals, read once per token and then kept by the caller.
public struct TokenMetadata: Sendable, Equatable {
  public let symbol: String
  public let decimals: UInt8

  public init(symbol: String, decimals: UInt8) {
    self.symbol = symbol
    self.decimals = decimals
  }
}

extension EVMBalanceReader {
  /// Reads `decimals()` and `symbol()` of each token; nil for an address that does not answer
  /// them (not a contract, or not an ERC-20).
  public func metadata(of tokens: [EVMAddress], useMulticall: Bool = true) async throws(ChainRPCError)
    -> [EVMAddress: TokenMetadata]
  {
    var found: [EVMAddress: TokenMetadata] = [:]
    for token in tokens {
      let decimalsCall = JSONRPCCall(
        "eth_call",
        [
          ["to": .string(token.lowercasedHex), "data": .string("0x" + Hex.encode(ERC20Calls.decimals))],
          "latest",
        ])
      let symbolCall = JSONRPCCall(
        "eth_call",
        [
          ["to": .string(token.lowercasedHex), "data": .string("0x" + Hex.encode(ERC20Calls.symbol))],
          "latest",
        ])
      let answers = try await rpc.batch([decimalsCall, symbolCall], as: String.self)
      guard answers.count == 2, case .success(let decimalsHex) = answers[0],
        case .success(let symbolHex) = answers[1],
        let decimalsData = Hex.decode(decimalsHex),
        let decimals = try? ERC20Calls.decodeDecimals(decimalsData),
        let symbolData = Hex.decode(symbolHex), let symbol = ERC20Calls.decodeSymbol(symbolData)
      else { continue }
      found[token] = TokenMetadata(symbol: symbol, decimals: decimals)
    }
    return found
  }
}
