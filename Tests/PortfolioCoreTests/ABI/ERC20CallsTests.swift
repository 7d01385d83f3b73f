import PortfolioCore
import Testing

struct ERC20CallsTests {
  let vitalik = try! EVMAddress(parsing: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045")

  /// The well-known shape: selector 70a08231, then the address left-padded to 32 bytes.
  @Test func balanceOfCalldata() throws {
    #expect(
      Hex.encode(ERC20Calls.balanceOf(vitalik))
        == "70a08231000000000000000000000000d8da6bf26964af9d7eed9e03e53415d37aa96045")
    #expect(try ERC20Calls.balanceOfFunction.encodeCall([.address(vitalik)]) == ERC20Calls.balanceOf(vitalik))
  }

  @Test func argumentlessCalldataIsTheSelector() {
    #expect(Hex.encode(ERC20Calls.decimals) == "313ce567")
    #expect(Hex.encode(ERC20Calls.symbol) == "95d89b41")
  }

  @Test func decodeUInt256() throws {
    // 1 ether = 0x0de0b6b3a7640000.
    let word = abiHex("0000000000000000000000000000000000000000000000000de0b6b3a7640000")
    #expect(try ERC20Calls.decodeUInt256(word) == 1_000_000_000_000_000_000)
    let max = [UInt8](repeating: 0xFF, count: 32)
    #expect(try ERC20Calls.decodeUInt256(max) == UInt256Text.max)
    #expect(throws: ABIDecodingError.self) { try ERC20Calls.decodeUInt256([0x01]) }
    #expect(throws: ABIDecodingError.self) { try ERC20Calls.decodeUInt256([]) }
  }

  @Test func decodeDecimals() throws {
    #expect(try ERC20Calls.decodeDecimals(abiWord(18)) == 18)
    #expect(try ERC20Calls.decodeDecimals(abiWord(255)) == 255)
    #expect(throws: ABIDecodingError.self) { try ERC20Calls.decodeDecimals(abiWord(256)) }
  }

  /// "USDC" as an ABI string, encoded by eth_abi 6.0.0: `encode(['string'], ['USDC'])`.
  @Test func symbolAsABIString() throws {
    let data = abiHex(
      """
      0000000000000000000000000000000000000000000000000000000000000020
      0000000000000000000000000000000000000000000000000000000000000004
      5553444300000000000000000000000000000000000000000000000000000000
      """)
    #expect(ERC20Calls.decodeSymbol(data) == "USDC")
    let unicode = try ERC20Calls.symbolFunction.encodeOutput([.string("Ünï")])
    #expect(ERC20Calls.decodeSymbol(unicode) == "Ünï")
  }

  /// MKR's `symbol()` returns bytes32: ASCII "MKR" (4d 4b 52) right-padded with zeros.
  @Test func symbolAsLegacyBytes32() {
    let data = abiHex("4d4b520000000000000000000000000000000000000000000000000000000000")
    #expect(ERC20Calls.decodeSymbol(data) == "MKR")
    let full = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".utf8)
    #expect(ERC20Calls.decodeSymbol(full) == "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")
  }

  @Test func garbageSymbolsAreNil() {
    #expect(ERC20Calls.decodeSymbol([]) == nil)
    #expect(ERC20Calls.decodeSymbol([0x4d, 0x4b, 0x52]) == nil)  // Not 32 bytes, not an ABI string.
    #expect(ERC20Calls.decodeSymbol([UInt8](repeating: 0, count: 32)) == nil)  // Empty.
    #expect(
      ERC20Calls.decodeSymbol(abiHex("4d004b0000000000000000000000000000000000000000000000000000000000"))
        == nil)
    #expect(ERC20Calls.decodeSymbol([0xFF] + [UInt8](repeating: 0, count: 31)) == nil)  // Not UTF-8.
    #expect(ERC20Calls.decodeSymbol([0x07, 0x41] + [UInt8](repeating: 0, count: 30)) == nil)  // Control char.
    #expect(ERC20Calls.decodeSymbol(abiWord(0x20) + abiWord(0)) == nil)  // Empty ABI string.
    #expect(ERC20Calls.decodeSymbol(abiWord(0x999) + abiWord(4)) == nil)  // Offset past the end.
    #expect(ERC20Calls.decodeSymbol(abiWord(0x20) + abiWord(4) + [0x41]) == nil)  // Truncated payload.
  }
}
