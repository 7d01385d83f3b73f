import ChainClients
public import CurlHTTP
public import Foundation
public import Logging
public import PortfolioConfig
public import PortfolioCore
public import Storage

/// Reads balances from the chains and stores them: the work behind a manual fetch, and
/// (later) the poller's cycles.
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

  /// Reads the wallets (all on `chain`) now and stores what changed. With `discover`, Solana
  /// token accounts are looked up again first. Throws `ChainRPCError` when a node fails, or the
  /// database's error.
  public func refresh(chain: ChainName, wallets: [Wallet], discover: Bool) async throws -> RefreshResult {
    try store(chain: chain, try await read(chain: chain, wallets: wallets, discover: discover))
  }

  /// Reads the wallets' balances without storing them; EVM reads are pinned to `block` when
  /// given (the latest otherwise), so the slices of one poll cycle read one state of the chain.
  public func read(chain: ChainName, wallets: [Wallet], discover: Bool, block: UInt64? = nil)
    async throws -> [StoredBalance]
  {
    guard let runtime = chains[chain] else {
      throw ChainRPCError(
        chain: chain.rawValue, kind: .unavailable, endpoint: nil, message: "the chain is not enabled")
    }
    return runtime.settings.chain.family == .evm
      ? try await readEVM(runtime, wallets: wallets, block: block)
      : try await readSolana(runtime, wallets: wallets, discover: discover)
  }

  /// Stores readings just made and answers what changed.
  public func store(chain: ChainName, _ readings: [StoredBalance]) throws -> RefreshResult {
    let readAt = ContinuousClock.now
    return RefreshResult(changes: try balances.apply(chain: chain, readings: readings), readAt: readAt)
  }

  public func storedBalances(walletID: UUID) throws -> [StoredBalance] {
    try balances.balances(walletID: walletID)
  }
}

/// What one refresh stored, and when its chain read finished.
public struct RefreshResult: Sendable {
  public let changes: [BalanceChange]
  public let readAt: ContinuousClock.Instant
}
