import ChainClients
import Foundation
import PortfolioCore
import Storage

extension BalanceService {
  func readSolana(_ runtime: ChainRuntime, wallets: [Wallet], discover: Bool) async throws
    -> [StoredBalance]
  {
    guard let reader = runtime.solana else { return [] }
    let owners = wallets.compactMap { wallet in
      (try? SolanaAddress(parsing: wallet.address)).map { (wallet, $0) }
    }
    let known = runtime.tokenAccounts.withLock { $0 }
    let undiscovered = owners.map(\.1).filter { discover || known[$0] == nil }
    if !undiscovered.isEmpty {
      let found = try await reader.discoverTokenAccounts(of: undiscovered)
      runtime.tokenAccounts.withLock { cache in
        for owner in undiscovered { cache[owner] = found[owner] ?? [] }
      }
    }
    let accounts = runtime.tokenAccounts.withLock { cache in owners.flatMap { cache[$0.1] ?? [] } }
    let reading = try await reader.read(wallets: owners.map(\.1), tokenAccounts: accounts.map(\.address))
    let mints = try await mintMetadata(
      Set(reading.tokenAccounts.values.map(\.mint)), reader: reader, chain: runtime.name)
    // Without the stored mints a closed token account would never be zeroed: a database error
    // fails the read instead.
    let stored = try balances.storedTokens(of: owners.map(\.0.id))
    let now = Date()
    var readings: [StoredBalance] = []
    for (wallet, owner) in owners {
      readings.append(
        StoredBalance(
          walletID: wallet.id, token: nil, symbol: runtime.settings.nativeSymbol,
          decimals: UInt8(clamping: runtime.settings.nativeDecimals),
          raw: BaseUnits(reading.lamports[owner] ?? 0),
          block: reading.slot, updatedAt: now))
      // A wallet may hold several accounts of one mint: the balance is their sum.
      var sums: [SolanaAddress: UInt64] = [:]
      for account in reading.tokenAccounts.values where account.owner == owner {
        sums[account.mint, default: 0] &+= account.amount
      }
      // A mint stored before but absent now (account closed) has gone to zero.
      for mintText in stored[wallet.id] ?? [] {
        if let mint = try? SolanaAddress(parsing: mintText), sums[mint] == nil { sums[mint] = 0 }
      }
      for (mint, amount) in sums.sorted(by: { $0.key.base58 < $1.key.base58 }) {
        let metadata = mints[mint]
        readings.append(
          StoredBalance(
            walletID: wallet.id, token: mint.base58, symbol: metadata?.symbol ?? Self.shortName(mint),
            decimals: metadata?.decimals ?? 0, raw: BaseUnits(amount), block: reading.slot, updatedAt: now))
      }
    }
    return readings
  }

  /// Symbol and decimals per mint: from the token list, else the tokens table, else the mint
  /// account (then kept).
  private func mintMetadata(_ mints: Set<SolanaAddress>, reader: SolanaBalanceReader, chain: ChainName)
    async throws -> [SolanaAddress: (symbol: String, decimals: UInt8)]
  {
    var known: [SolanaAddress: (symbol: String, decimals: UInt8)] = [:]
    for token in try tokens.tokens(chain: chain) {
      if let mint = try? SolanaAddress(parsing: token.address) {
        known[mint] = (token.symbol, token.decimals)
      }
    }
    for token in listedTokens[chain] ?? [] {
      if let mint = try? SolanaAddress(parsing: token.address) {
        known[mint] = (token.symbol, token.decimals)
      }
    }
    let missing = mints.filter { known[$0] == nil }.sorted { $0.base58 < $1.base58 }
    guard !missing.isEmpty else { return known }
    let decimals = try await reader.mintDecimals(missing)
    for (mint, value) in decimals {
      known[mint] = (Self.shortName(mint), value)
      try tokens.save(
        TrackedToken(
          chain: chain, address: mint.base58, symbol: Self.shortName(mint), decimals: value,
          source: .metadata,
          addedAt: Date()))
    }
    return known
  }

  /// A stand-in symbol for a mint nobody named: its first characters.
  static func shortName(_ mint: SolanaAddress) -> String {
    String(mint.base58.prefix(4)) + "…"
  }
}
