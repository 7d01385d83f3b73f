/// Multicall3: one `eth_call` that runs many calls, deployed at the same address on most EVM chains.
/// https://github.com/mds1/multicall3
public enum Multicall3 {
  /// The canonical deployment address (the same on every chain it is deployed to).
  public static let address: EVMAddress = {
    // A checked literal: the parse validates its EIP-55 checksum, so failure is a typo here.
    guard let address = try? EVMAddress(parsing: "0xcA11bde05977b3631167028862bE2a173976CA11") else {
      preconditionFailure("the Multicall3 address literal is not a valid EVM address")
    }
    return address
  }()

  /// One call in an `aggregate3` batch (Solidity `struct Call3`).
  public struct Call3: Sendable, Hashable {
    public var target: EVMAddress
    /// When false, a revert of this call reverts the whole batch.
    public var allowFailure: Bool
    public var callData: [UInt8]

    public init(target: EVMAddress, allowFailure: Bool, callData: [UInt8]) {
      self.target = target
      self.allowFailure = allowFailure
      self.callData = callData
    }
  }

  /// The outcome of one call in a batch (Solidity `struct Result`).
  public struct Result: Sendable, Hashable {
    public var success: Bool
    /// The call's return data on success, its revert data on failure.
    public var returnData: [UInt8]

    public init(success: Bool, returnData: [UInt8]) {
      self.success = success
      self.returnData = returnData
    }
  }

  static let call3Type = ABIType.tuple([.address, .bool, .bytes])
  static let resultType = ABIType.tuple([.bool, .bytes])

  /// `aggregate3((address,bool,bytes)[]) returns ((bool,bytes)[])`, selector 82ad56cb.
  public static let aggregate3Function = ABIFunction(
    name: "aggregate3", inputs: [.array(call3Type)], outputs: [.array(resultType)])
  /// `getEthBalance(address) returns (uint256)`, selector 4d2301cc: the native balance of an account.
  public static let getEthBalanceFunction = ABIFunction(
    name: "getEthBalance", inputs: [.address], outputs: [.uint256])
  /// `getBlockNumber() returns (uint256)`, selector 42cbb15c: the block the batch ran in.
  public static let getBlockNumberFunction = ABIFunction(
    name: "getBlockNumber", inputs: [], outputs: [.uint256])

  /// `getEthBalance(account)` calldata, to put in a batch aimed at Multicall3 itself.
  public static func getEthBalance(_ account: EVMAddress) -> [UInt8] {
    getEthBalanceFunction.selector + ABIWord.address(account)
  }

  /// `getBlockNumber()` calldata: just the selector.
  public static let getBlockNumber: [UInt8] = getBlockNumberFunction.selector
}
