public import ChainClients
public import CurlHTTP
import Foundation
public import PortfolioConfig
public import PortfolioCore
import Synchronization

/// One chain's readers and what the server learned about it: whether Multicall3 is there,
/// and (Solana) which token accounts each wallet holds.
public final class ChainRuntime: Sendable {
  public let settings: AppConfig.ChainSettings
  public let rpc: RPCClient
  /// The EVM reader (nil on Solana), also used to read price feeds.
  public let evm: EVMBalanceReader?
  let solana: SolanaBalanceReader?
  /// nil until checked; a chain configured without Multicall3 never uses it.
  let multicallPresent = Mutex<Bool?>(nil)
  /// Solana token accounts per owner, refreshed by discovery.
  let tokenAccounts = Mutex<[SolanaAddress: [SolanaTokenAccountRef]]>([:])

  public init(settings: AppConfig.ChainSettings, http: HTTPClient) {
    self.settings = settings
    var rpcSettings = RPCClient.Settings()
    rpcSettings.requestsPerSecond = settings.requestsPerSecond
    rpc = RPCClient(
      chain: settings.chain.name.rawValue, urls: settings.rpcURLs, http: http, settings: rpcSettings)
    switch settings.chain.family {
    case .evm:
      var readerSettings = EVMBalanceReader.Settings()
      readerSettings.callsPerMulticall = settings.callsPerMulticall
      if let text = settings.multicallAddress, let address = try? EVMAddress(parsing: text) {
        readerSettings.multicallAddress = address
      } else {
        multicallPresent.withLock { $0 = false }
      }
      evm = EVMBalanceReader(rpc: rpc, settings: readerSettings)
      solana = nil
    case .solana:
      var readerSettings = SolanaBalanceReader.Settings()
      readerSettings.commitment = settings.commitment ?? "confirmed"
      solana = SolanaBalanceReader(rpc: rpc, settings: readerSettings)
      evm = nil
    }
  }

  public var name: ChainName { settings.chain.name }

  /// Whether to read through Multicall3; asks the node once.
  func useMulticall() async throws(ChainRPCError) -> Bool {
    if let known = multicallPresent.withLock({ $0 }) { return known }
    guard let evm else { return false }
    let present = try await evm.hasMulticall()
    multicallPresent.withLock { $0 = present }
    return present
  }

  /// What the start-up check of a chain found.
  public enum ChainCheck: Sendable {
    case verified(chainID: UInt64)
    /// The node serves another chain: a configuration error.
    case mismatch(String)
    /// The node did not answer; it may come up later.
    case unreachable(ChainRPCError)
    /// Nothing to check (Solana).
    case notApplicable
  }

  /// Checks the first node serves the configured chain id: one try, since an unreachable node
  /// only earns a warning and must not hold up the start.
  public func checkChainID(http: HTTPClient) async -> ChainCheck {
    guard evm != nil, let expected = settings.chainID, let url = settings.rpcURLs.first else {
      return .notApplicable
    }
    var once = RPCClient.Settings()
    once.retry = RetryPolicy(maxAttempts: 1)
    once.timeout = .seconds(5)
    let probe = EVMBalanceReader(
      rpc: RPCClient(chain: name.rawValue, urls: [url], http: http, settings: once))
    do {
      let actual = try await probe.chainID()
      guard actual == expected else {
        return .mismatch(
          "chains.\(name).chain_id is \(expected), but \(URLRedaction.redact(url)) serves chain id \(actual)"
        )
      }
      return .verified(chainID: actual)
    } catch {
      return .unreachable(error)
    }
  }
}

extension ChainRuntime {
  /// The chain's head: latest block (EVM) or slot (Solana); the poller's cheap check.
  public func head() async throws(ChainRPCError) -> UInt64 {
    if let evm { return try await evm.blockNumber() }
    if let solana { return try await solana.slot() }
    return 0
  }
}
