import ChainClients
public import CurlHTTP
public import Foundation
public import Logging
public import PortfolioConfig
public import PortfolioCore
public import Storage

/// Reads balances from the chains for the pollers, checks chain ids, and keeps the tracked
/// tokens; storing what was read is the change feed's job.
public final class BalanceService: Sendable {
  public let chains: [ChainName: ChainRuntime]
  let http: HTTPClient
  let listedTokens: [ChainName: [ListedToken]]
  let tokens: TokenStore
  let balances: BalanceStore

  public init(config: AppConfig, listedTokens: [ListedToken], database: AppDatabase, http: HTTPClient) {
    chains = config.chains.mapValues { ChainRuntime(settings: $0, http: http) }
    self.http = http
    self.listedTokens = Dictionary(grouping: listedTokens, by: \.chain)
    tokens = TokenStore(database)
    balances = BalanceStore(database)
  }

  /// Checks every EVM node's chain id; returns the mismatches, which should stop the start.
  /// An unreachable node is only logged: it may come up later.
  public func verifyChains(logger: Logger) async -> [String] {
    await withTaskGroup(of: String?.self) { group in
      for runtime in chains.values {
        group.addTask { [http] in
          switch await runtime.checkChainID(http: http) {
          case .verified(let id):
            logger.info("chain verified", metadata: ["chain": "\(runtime.name)", "chain_id": "\(id)"])
          case .unreachable(let error):
            logger.warning(
              "chain not reachable yet", metadata: ["chain": "\(runtime.name)", "error": "\(error)"])
          case .mismatch(let message):
            return message
          case .notApplicable:
            break
          }
          return nil
        }
      }
      var mismatches: [String] = []
      for await result in group { if let result { mismatches.append(result) } }
      return mismatches.sorted()
    }
  }

  /// Reads the wallets' balances; the change feed stores them. With `discover`, Solana token
  /// accounts are looked up again first. EVM reads are pinned to `block` when
  /// given (the latest otherwise), so the slices of one poll cycle read one state of the chain.
  public func read(chain: ChainName, wallets: [Wallet], discover: Bool, block: UInt64? = nil)
    async throws -> [StoredBalance]
  {
    guard let runtime = chains[chain] else {
      throw ChainRPCError(
        chain: chain.rawValue, kind: .unavailable, endpoint: nil, message: "the chain is not enabled")
    }
    // Users tracking the same address share one read of it.
    let sharing = Dictionary(grouping: wallets, by: \.address)
    let distinct =
      sharing.count == wallets.count ? wallets : wallets.filter { sharing[$0.address]?.first == $0 }
    let readings =
      runtime.settings.chain.family == .evm
      ? try await readEVM(runtime, wallets: distinct, block: block)
      : try await readSolana(runtime, wallets: distinct, discover: discover)
    guard distinct.count < wallets.count else { return readings }
    let readerByID = Dictionary(uniqueKeysWithValues: distinct.map { ($0.id, $0.address) })
    return readings.flatMap { reading -> [StoredBalance] in
      guard let address = readerByID[reading.walletID], let sharers = sharing[address] else {
        return [reading]
      }
      return sharers.map { wallet in
        var copy = reading
        copy.walletID = wallet.id
        return copy
      }
    }
  }

  public func storedBalances(walletID: UUID) throws -> [StoredBalance] {
    try balances.balances(walletID: walletID)
  }
}
