import ChainClients
import DevChain
import PortfolioCore
import Testing

@Suite struct SolanaBalanceReaderTests {
  /// Distinct valid Solana addresses: 32 bytes from an index.
  static func wallet(_ index: Int) -> SolanaAddress {
    var bytes = [UInt8](repeating: 7, count: 32)
    bytes[28] = UInt8(truncatingIfNeeded: index >> 24)
    bytes[29] = UInt8(truncatingIfNeeded: index >> 16)
    bytes[30] = UInt8(truncatingIfNeeded: index >> 8)
    bytes[31] = UInt8(truncatingIfNeeded: index)
    return SolanaAddress(bytes: bytes)!
  }

  @Test func discoversTokenAccountsUnderBothProgramsAndReadsEverything() async throws {
    try await withDevChain { devchain, http in
      let usdc = try devchain.chain.createToken(chain: "solana", address: nil, symbol: "USDC", decimals: 6)
      let pyusd = try devchain.chain.createToken(
        chain: "solana", address: nil, symbol: "PYUSD", decimals: 6, program: "token-2022")
      let alice = Self.wallet(1)
      let bob = Self.wallet(2)
      try devchain.chain.setBalance(chain: "solana", address: alice.base58, token: nil, amount: "2500000000")
      try devchain.chain.setBalance(
        chain: "solana", address: alice.base58, token: usdc, amount: "18446744073709551615")
      try devchain.chain.setBalance(chain: "solana", address: alice.base58, token: pyusd, amount: "7")
      try devchain.chain.setBalance(chain: "solana", address: bob.base58, token: nil, amount: "1")

      let reader = SolanaBalanceReader(
        rpc: RPCClient(chain: "solana", urls: [devchain.solanaURL], http: http))
      let discovered = try await reader.discoverTokenAccounts(of: [alice, bob])
      #expect(Set(discovered[alice]?.map(\.mint.base58) ?? []) == [usdc, pyusd])
      #expect(discovered[bob] == nil)

      let accounts = discovered.values.flatMap { $0.map(\.address) }
      let reading = try await reader.read(wallets: [alice, bob, Self.wallet(3)], tokenAccounts: accounts)
      #expect(reading.slot == (try await reader.slot()))
      #expect(reading.lamports[alice] == 2_500_000_000)
      #expect(reading.lamports[bob] == 1)
      #expect(reading.lamports[Self.wallet(3)] == 0)
      let amounts = Dictionary(
        uniqueKeysWithValues: reading.tokenAccounts.values.map { ($0.mint.base58, $0.amount) })
      #expect(amounts[usdc] == UInt64.max)
      #expect(amounts[pyusd] == 7)
      #expect(reading.tokenAccounts.values.allSatisfy { $0.owner == alice })

      let decimals = try await reader.mintDecimals([try SolanaAddress(parsing: usdc)])
      #expect(decimals.values.first == 6)
    }
  }

  @Test func tenThousandWalletsCostAHandfulOfRequests() async throws {
    try await withDevChain { devchain, http in
      let wallets = (0..<10_000).map { Self.wallet($0) }
      try devchain.chain.setBalance(chain: "solana", address: wallets[9_999].base58, token: nil, amount: "99")
      devchain.chain.resetStats()
      let reader = SolanaBalanceReader(
        rpc: RPCClient(chain: "solana", urls: [devchain.solanaURL], http: http))
      let reading = try await reader.read(wallets: wallets, tokenAccounts: [])
      #expect(reading.lamports.count == 10_000)
      #expect(reading.lamports[wallets[9_999]] == 99)
      let stats = try #require(devchain.chain.stats["solana"])
      #expect(stats.calls["getMultipleAccounts"] == 100)
      // 100 calls of 100 keys, 10 calls per HTTP request: 0.001 requests per wallet.
      #expect(stats.httpRequests == 10)
    }
  }
}
