import ChainClients
import Foundation
import PortfolioCore
import Storage

extension BalanceService {
  /// The tokens read for every wallet of an EVM chain: the configured list and user additions.
  /// A database error fails the read: reading without the user's tokens would look like their
  /// balances went to nothing.
  func trackedTokens(chain: ChainName) throws -> [(address: EVMAddress, symbol: String, decimals: UInt8)] {
    var seen: Set<EVMAddress> = []
    var result: [(address: EVMAddress, symbol: String, decimals: UInt8)] = []
    let listed = (listedTokens[chain] ?? []).map { ($0.address, $0.symbol, $0.decimals) }
    let added = try tokens.tokens(chain: chain, source: .user).map {
      ($0.address, $0.symbol, $0.decimals)
    }
    for (text, symbol, decimals) in listed + added {
      guard let address = try? EVMAddress(parsing: text), seen.insert(address).inserted else { continue }
      result.append((address, symbol, decimals))
    }
    return result
  }

  func readEVM(_ runtime: ChainRuntime, wallets: [Wallet], block: UInt64?) async throws
    -> [StoredBalance]
  {
    guard let reader = runtime.evm else { return [] }
    let owners = wallets.compactMap { wallet in
      (try? EVMAddress(parsing: wallet.address)).map { (wallet, $0) }
    }
    let tracked = try trackedTokens(chain: runtime.name)
    let reading = try await reader.read(
      wallets: owners.map(\.1), tokens: tracked.map(\.address),
      useMulticall: try await runtime.useMulticall(),
      block: block)
    let now = Date()
    // Checksumming hashes the address: once per token, not once per wallet and token.
    let tokenTexts = tracked.map(\.address.checksummed)
    var readings: [StoredBalance] = []
    readings.reserveCapacity(owners.count * (tracked.count + 1))
    for (wallet, owner) in owners {
      if let native = reading.balances[BalanceKey(wallet: owner, token: nil)] {
        readings.append(
          StoredBalance(
            walletID: wallet.id, token: nil, symbol: runtime.settings.nativeSymbol,
            decimals: UInt8(clamping: runtime.settings.nativeDecimals), raw: BaseUnits(native),
            block: reading.block,
            updatedAt: now))
      }
      for (token, text) in zip(tracked, tokenTexts) {
        guard let raw = reading.balances[BalanceKey(wallet: owner, token: token.address)] else { continue }
        readings.append(
          StoredBalance(
            walletID: wallet.id, token: text, symbol: token.symbol,
            decimals: token.decimals,
            raw: BaseUnits(raw), block: reading.block, updatedAt: now))
      }
    }
    return readings
  }
}
