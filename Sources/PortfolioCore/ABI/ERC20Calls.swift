public import BigInt

/// Calldata and result decoding for the ERC-20 reads a portfolio needs.
public enum ERC20Calls {
  public static let balanceOfFunction = ABIFunction(
    name: "balanceOf", inputs: [.address], outputs: [.uint256])
  public static let decimalsFunction = ABIFunction(name: "decimals", inputs: [], outputs: [.uint(bits: 8)])
  public static let symbolFunction = ABIFunction(name: "symbol", inputs: [], outputs: [.string])

  /// `balanceOf(owner)` calldata: selector 70a08231, then the owner as a 32-byte word.
  public static func balanceOf(_ owner: EVMAddress) -> [UInt8] {
    balanceOfFunction.selector + ABIWord.address(owner)
  }

  /// `decimals()` calldata: just the selector 313ce567.
  public static let decimals: [UInt8] = decimalsFunction.selector

  /// `symbol()` calldata: just the selector 95d89b41.
  public static let symbol: [UInt8] = symbolFunction.selector

  /// A single `uint256` result, e.g. from `balanceOf` or `totalSupply`.
  public static func decodeUInt256(_ returnData: [UInt8]) throws(ABIDecodingError) -> BigUInt {
    var reader = ABIReader(returnData[...])
    return try reader.uint(at: 0)
  }

  /// A `decimals()` result: a `uint8` (in a full word; anything above 255 is rejected).
  public static func decodeDecimals(_ returnData: [UInt8]) throws(ABIDecodingError) -> UInt8 {
    var reader = ABIReader(returnData[...])
    // uint(bits: 8) has already rejected anything over 255, so this cannot truncate.
    return UInt8(truncatingIfNeeded: try reader.uint(at: 0, bits: 8))
  }

  /// A `symbol()` result, which is an ABI `string` in current tokens but a `bytes32` in some
  /// early ones (MKR, SAI): exactly 32 bytes, the text right-padded with zeros.
  /// Returns nil for anything else, or for an empty symbol, invalid UTF-8 or control characters:
  /// a symbol is only for display, so garbage is better shown as unknown than as an error.
  public static func decodeSymbol(_ returnData: [UInt8]) -> String? {
    let text: String?
    if returnData.count == ABIWord.size {
      text = legacyBytes32Symbol(returnData)
    } else {
      var reader = ABIReader(returnData[...])
      text = try? reader.string(at: reader.offset(at: 0, base: 0))
    }
    guard let text, !text.isEmpty,
      !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else { return nil }
    return text
  }

  /// The text before the zero padding; nil if a nonzero byte follows the padding or the text is not UTF-8.
  private static func legacyBytes32Symbol(_ word: [UInt8]) -> String? {
    let textLength = word.firstIndex(of: 0) ?? word.count
    guard word[textLength...].allSatisfy({ $0 == 0 }) else { return nil }
    return String(validating: word[..<textLength], as: UTF8.self)
  }
}
