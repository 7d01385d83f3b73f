/// Parses an address for a chain and returns its canonical text: EIP-55 checksum form on EVM
/// chains, base58 on Solana.
public enum WalletAddress {
  public static func canonical(_ text: String, on chain: Chain) throws(AddressError) -> String {
    switch chain.family {
    case .evm:
      return try EVMAddress(parsing: text).checksummed
    case .solana:
      return try SolanaAddress(parsing: text).base58
    }
  }
}
