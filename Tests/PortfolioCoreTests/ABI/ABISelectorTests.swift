import PortfolioCore
import Testing

/// Well-known selectors (the first 4 bytes of keccak256 of the signature), as published in
/// the ERC-20 standard's ecosystem and in Multicall3's interface, and cross-checked with eth_abi.
struct ABISelectorTests {
  static let known: [(ABIFunction, String)] = [
    (Multicall3.aggregate3Function, "82ad56cb"),
    (Multicall3.getEthBalanceFunction, "4d2301cc"),
    (Multicall3.getBlockNumberFunction, "42cbb15c"),
    (ERC20Calls.balanceOfFunction, "70a08231"),
    (ERC20Calls.decimalsFunction, "313ce567"),
    (ERC20Calls.symbolFunction, "95d89b41"),
    (ABIFunction(name: "transfer", inputs: [.address, .uint256], outputs: [.bool]), "a9059cbb"),
  ]

  @Test(arguments: known)
  func selector(function: ABIFunction, hex: String) {
    #expect(Hex.encode(function.selector) == hex, "\(function.signature)")
  }

  @Test func signatures() {
    #expect(Multicall3.aggregate3Function.signature == "aggregate3((address,bool,bytes)[])")
    #expect(ERC20Calls.balanceOfFunction.signature == "balanceOf(address)")
    #expect(ERC20Calls.decimalsFunction.signature == "decimals()")
  }
}
