import PortfolioCore

/// Devchain's Solana state: lamports per account, SPL mints and token accounts.
struct SolanaLedger: Sendable {
  struct Mint: Sendable {
    var symbol: String
    var decimals: UInt8
    var program: SolanaAddress
  }

  struct TokenAccount: Sendable {
    var mint: SolanaAddress
    var owner: SolanaAddress
    var amount: UInt64
    var program: SolanaAddress
  }

  var slot: UInt64 = 250_000_000
  var lamports: [SolanaAddress: UInt64] = [:]
  var mints: [SolanaAddress: Mint] = [:]
  var tokenAccounts: [SolanaAddress: TokenAccount] = [:]
  var tokenAccountsByOwner: [SolanaAddress: [SolanaAddress]] = [:]

  /// Rent-exempt minimum of a 165-byte token account, as mainnet charges it.
  static let tokenAccountRent: UInt64 = 2_039_280

  /// Token accounts have addresses of their own; devchain derives one per owner and mint, as
  /// an associated token account would be.
  static func tokenAccountAddress(owner: SolanaAddress, mint: SolanaAddress) -> SolanaAddress {
    let digest = Keccak256.hash(owner.bytes + mint.bytes + Array("devchain-ata".utf8))
    return SolanaAddress(bytes: digest) ?? owner
  }

  mutating func setTokenBalance(owner: SolanaAddress, mint: SolanaAddress, amount: UInt64) {
    let address = Self.tokenAccountAddress(owner: owner, mint: mint)
    if tokenAccounts[address] == nil {
      tokenAccountsByOwner[owner, default: []].append(address)
    }
    let program = mints[mint]?.program ?? (try? SolanaAddress(parsing: SolanaPrograms.token)) ?? mint
    tokenAccounts[address] = TokenAccount(mint: mint, owner: owner, amount: amount, program: program)
  }
}
