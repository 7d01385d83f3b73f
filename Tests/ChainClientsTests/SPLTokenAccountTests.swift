import PortfolioCore
import Testing

/// The SPL Token account layout, checked byte by byte against the documented offsets.
@Suite struct SPLTokenAccountTests {
  let mint = try! SolanaAddress(parsing: "So11111111111111111111111111111111111111112")
  let owner = try! SolanaAddress(parsing: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")

  @Test func readsMintOwnerAndLittleEndianAmountAtTheirOffsets() {
    var data = [UInt8](repeating: 0, count: 165)
    data.replaceSubrange(0..<32, with: mint.bytes)
    data.replaceSubrange(32..<64, with: owner.bytes)
    // 0x0102030405060708 little endian
    data.replaceSubrange(64..<72, with: [0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01])
    data[108] = 1
    let account = SPLTokenAccount(data: data)
    #expect(account?.mint == mint)
    #expect(account?.owner == owner)
    #expect(account?.amount == 0x0102_0304_0506_0708)
    #expect(account?.isFrozen == false)
    #expect(account?.data == data)
  }

  @Test func token2022ExtensionsAfterTheBaseLayoutAreIgnored() {
    let base = SPLTokenAccount(mint: mint, owner: owner, amount: 42).data
    let extended = base + [2] + [UInt8](repeating: 9, count: 40)  // account type + an extension
    #expect(SPLTokenAccount(data: extended)?.amount == 42)
  }

  @Test func uninitializedOrShortDataIsNotAnAccount() {
    var data = SPLTokenAccount(mint: mint, owner: owner, amount: 1).data
    #expect(SPLTokenAccount(data: Array(data.prefix(164))) == nil)
    data[108] = 0
    #expect(SPLTokenAccount(data: data) == nil)
  }

  @Test func mintDecimalsSitAtOffset44() {
    var data = [UInt8](repeating: 0, count: 82)
    data[44] = 6
    data[45] = 1
    #expect(SPLMint.decimals(data: data) == 6)
    #expect(SPLMint.data(decimals: 6) == data)
    data[45] = 0
    #expect(SPLMint.decimals(data: data) == nil)
  }
}
