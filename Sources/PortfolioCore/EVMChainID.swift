/// The range of EVM chain ids (EIP-155 `chainId`).
public enum EVMChainID {
  /// EIP-2294's bound, floor(MAX_UINT64 / 2) − 36: the largest id whose EIP-155 signature
  /// `v = chainId · 2 + 36` still fits in 64 bits.
  public static let max: UInt64 = 9_223_372_036_854_775_771
  public static let valid: ClosedRange<UInt64> = 1...max
}
