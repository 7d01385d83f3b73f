import BigInt
import ChainClients
import DevChain
import PortfolioCore
import Testing

@Suite struct EVMBalanceReaderTests {
  @Test(arguments: [131_277_322_940_537, EVMChainID.max] as [UInt64])
  func readsAChainIDUpToTheEIP2294Bound(id: UInt64) async throws {
    try await withDevChain(ethereumChainID: id) { devchain, http in
      let reader = EVMBalanceReader(
        rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http))
      let served = try await reader.chainID()
      #expect(served == id)
    }
  }

  @Test func readsNativeAndTokenBalancesAtOneBlock() async throws {
    try await withDevChain { devchain, http in
      let usdc = try devchain.chain.createToken(chain: "ethereum", address: nil, symbol: "USDC", decimals: 6)
      let dai = try devchain.chain.createToken(chain: "ethereum", address: nil, symbol: "DAI", decimals: 18)
      let wallets = (0..<50).map { evmAddress($0) }
      for (index, wallet) in wallets.enumerated() {
        try devchain.chain.setBalance(
          chain: "ethereum", address: wallet, token: nil, amount: "\(index)000000000000000000")
        try devchain.chain.setBalance(chain: "ethereum", address: wallet, token: usdc, amount: "\(index * 7)")
      }
      // A balance beyond 2^64 must come back exact.
      try devchain.chain.setBalance(
        chain: "ethereum", address: wallets[3], token: dai, amount: "340282366920938463463374607431768211455")
      let head = try devchain.chain.advance(chain: "ethereum", blocks: 0)

      let reader = EVMBalanceReader(
        rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http))
      #expect(try await reader.chainID() == 1)
      #expect(try await reader.hasMulticall())
      let addresses = try wallets.map { try EVMAddress(parsing: $0) }
      let tokens = try [usdc, dai].map { try EVMAddress(parsing: $0) }
      let reading = try await reader.read(wallets: addresses, tokens: tokens)
      #expect(reading.block == head)
      #expect(reading.unreadable.isEmpty)
      #expect(reading.balances.count == 150)
      #expect(
        reading.balances[BalanceKey(wallet: addresses[9], token: nil)] == BigUInt("9000000000000000000"))
      #expect(reading.balances[BalanceKey(wallet: addresses[9], token: tokens[0])] == 63)
      #expect(
        reading.balances[BalanceKey(wallet: addresses[3], token: tokens[1])]
          == BigUInt("340282366920938463463374607431768211455"))
      #expect(reading.balances[BalanceKey(wallet: addresses[4], token: tokens[1])] == 0)
    }
  }

  @Test func aThousandWalletsWithTenTokensCostAFewRequests() async throws {
    try await withDevChain { devchain, http in
      let tokens = try (0..<10).map { index in
        try EVMAddress(
          parsing: try devchain.chain.createToken(
            chain: "ethereum", address: nil, symbol: "T\(index)", decimals: 18))
      }
      let wallets = try (0..<1000).map { try EVMAddress(parsing: evmAddress($0)) }
      try devchain.chain.setBalance(
        chain: "ethereum", address: wallets[999].checksummed, token: tokens[9].checksummed, amount: "42")
      devchain.chain.resetStats()
      let reader = EVMBalanceReader(
        rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http))
      let reading = try await reader.read(wallets: wallets, tokens: tokens)
      #expect(reading.balances.count == 11_000)
      #expect(reading.balances[BalanceKey(wallet: wallets[999], token: tokens[9])] == 42)
      let stats = try #require(devchain.chain.stats["ethereum"])
      // 11,000 calls: 55 aggregate3 of 200, 4 per HTTP request, plus the block number.
      #expect(stats.multicallCalls == 11_000)
      #expect(stats.httpRequests <= 15, "HTTP requests: \(stats.httpRequests)")
    }
  }

  @Test func withoutMulticallItFallsBackToBatches() async throws {
    try await withDevChain { devchain, http in
      let token = try devchain.chain.createToken(chain: "ethereum", address: nil, symbol: "USDC", decimals: 6)
      let wallet = evmAddress(1)
      try devchain.chain.setBalance(
        chain: "ethereum", address: wallet, token: nil, amount: "123456789012345678901")
      try devchain.chain.setBalance(chain: "ethereum", address: wallet, token: token, amount: "5")
      devchain.chain.configureMulticall(enabled: false)
      let reader = EVMBalanceReader(
        rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http))
      #expect(try await reader.hasMulticall() == false)
      let owner = try EVMAddress(parsing: wallet)
      let contract = try EVMAddress(parsing: token)
      let reading = try await reader.read(wallets: [owner], tokens: [contract], useMulticall: false)
      #expect(reading.balances[BalanceKey(wallet: owner, token: nil)] == BigUInt("123456789012345678901"))
      #expect(reading.balances[BalanceKey(wallet: owner, token: contract)] == 5)
      #expect(devchain.chain.stats["ethereum"]?.multicallCalls == 0)
    }
  }

  @Test func anAddressWithoutCodeIsUnreadableNotZero() async throws {
    try await withDevChain { devchain, http in
      let reader = EVMBalanceReader(
        rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http))
      let wallet = try EVMAddress(parsing: evmAddress(1))
      let notAToken = try EVMAddress(parsing: evmAddress(99))
      let reading = try await reader.read(wallets: [wallet], tokens: [notAToken])
      #expect(reading.unreadable == [BalanceKey(wallet: wallet, token: notAToken)])
      #expect(reading.balances[BalanceKey(wallet: wallet, token: nil)] == 0)
    }
  }

  @Test func readsTokenMetadata() async throws {
    try await withDevChain { devchain, http in
      let token = try devchain.chain.createToken(chain: "ethereum", address: nil, symbol: "WBTC", decimals: 8)
      let reader = EVMBalanceReader(
        rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http))
      let address = try EVMAddress(parsing: token)
      let missing = try EVMAddress(parsing: evmAddress(5))
      let metadata = try await reader.metadata(of: [address, missing])
      #expect(metadata[address] == TokenMetadata(symbol: "WBTC", decimals: 8))
      #expect(metadata[missing] == nil)
    }
  }
}

@Suite struct AdaptiveChunkTests {
  @Test func chunksShrinkWhenTheNodeRefusesAndGrowWhenItAccepts() async throws {
    try await withDevChain { devchain, http in
      let token = try EVMAddress(
        parsing: try devchain.chain.createToken(chain: "ethereum", address: nil, symbol: "T", decimals: 18))
      let wallets = try (0..<500).map { try EVMAddress(parsing: evmAddress($0)) }
      try devchain.chain.setBalance(
        chain: "ethereum", address: wallets[499].checksummed, token: token.checksummed, amount: "9")
      // The node runs out of gas above 60 calls per aggregate3.
      devchain.chain.configureMulticall(enabled: true, maxCalls: 60)
      var settings = EVMBalanceReader.Settings()
      settings.callsPerMulticall = 200
      settings.maxCallsPerMulticall = 400
      let reader = EVMBalanceReader(
        rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http), settings: settings)
      let reading = try await reader.read(wallets: wallets, tokens: [token])
      #expect(reading.balances.count == 1_000)
      #expect(reading.balances[BalanceKey(wallet: wallets[499], token: token)] == 9)
      #expect(reader.currentChunkSize <= 60)
      // The node takes more again: clean reads grow the chunks back, up to the ceiling.
      devchain.chain.configureMulticall(enabled: true, maxCalls: 5_000)
      let shrunk = reader.currentChunkSize
      _ = try await reader.read(wallets: wallets, tokens: [token])
      _ = try await reader.read(wallets: wallets, tokens: [token])
      #expect(reader.currentChunkSize > shrunk)
      for _ in 0..<30 { _ = try await reader.read(wallets: Array(wallets.prefix(10)), tokens: [token]) }
      #expect(reader.currentChunkSize == 400)
    }
  }
}
