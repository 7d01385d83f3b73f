import BigInt
import Foundation
import PortfolioCore

/// The control API's operations: create tokens, set balances, move the chain, inject faults.
/// Prices are set in DevChain+Prices.swift.
extension DevChain {
  public struct ControlError: Error, Sendable {
    public let message: String
  }

  /// Creates an ERC-20 token or an SPL mint; returns its address. Without an address one is
  /// derived from the symbol.
  public func createToken(
    chain: String, address: String?, symbol: String, decimals: UInt8, program: String? = nil
  ) throws(ControlError) -> String {
    try state.withLock { state throws(ControlError) -> String in
      state.tokenCounter += 1
      let seed = Keccak256.hash(Array("\(chain):\(symbol):\(state.tokenCounter)".utf8))
      switch chain {
      case "ethereum":
        guard
          let token = try address.map({ text throws(ControlError) in try Self.evm(text) })
            ?? EVMAddress(bytes: Array(seed.suffix(20)))
        else { throw ControlError(message: "cannot derive a token address") }
        state.ethereum.tokens[token] = EVMLedger.Token(symbol: symbol, decimals: decimals)
        return token.checksummed
      case "solana":
        guard
          let mint = try address.map({ text throws(ControlError) in try Self.solana(text) })
            ?? SolanaAddress(bytes: seed)
        else { throw ControlError(message: "cannot derive a mint address") }
        let programID = program == "token-2022" ? SolanaPrograms.token2022 : SolanaPrograms.token
        guard let programAddress = try? SolanaAddress(parsing: programID) else {
          throw ControlError(message: "bad program id")
        }
        state.solana.mints[mint] = SolanaLedger.Mint(
          symbol: symbol, decimals: decimals, program: programAddress)
        return mint.base58
      default:
        throw Self.unknownChain(chain)
      }
    }
  }

  /// Sets a balance in base units (`token` nil for the native coin) and mines one block, as a
  /// transfer would, so pollers watching the head see the change.
  @discardableResult
  public func setBalance(chain: String, address: String, token: String?, amount: String) throws(ControlError)
    -> UInt64
  {
    guard let value = UInt256Text.parse(amount) else {
      throw ControlError(message: "amount must be a decimal string of base units, got \"\(amount)\"")
    }
    return try state.withLock { state throws(ControlError) -> UInt64 in
      switch chain {
      case "ethereum":
        let owner = try Self.evm(address)
        if let token {
          let contract = try Self.evm(token)
          guard state.ethereum.tokens[contract] != nil else {
            throw ControlError(message: "no token at \(token); create it with /control/token first")
          }
          state.ethereum.tokens[contract]?.balances[owner] = value
        } else {
          state.ethereum.native[owner] = value
        }
        state.ethereum.block += 1
        return state.ethereum.block
      case "solana":
        let owner = try Self.solana(address)
        guard let amount64 = UInt64(exactly: value) else {
          throw ControlError(message: "Solana amounts are u64; \(amount) is too large")
        }
        if let token {
          let mint = try Self.solana(token)
          guard state.solana.mints[mint] != nil else {
            throw ControlError(message: "no mint at \(token); create it with /control/token first")
          }
          state.solana.setTokenBalance(owner: owner, mint: mint, amount: amount64)
        } else {
          state.solana.lamports[owner] = amount64
        }
        state.solana.slot += 1
        return state.solana.slot
      default:
        throw Self.unknownChain(chain)
      }
    }
  }

  /// Mines `blocks` empty blocks (slots on Solana); returns the new head.
  @discardableResult
  public func advance(chain: String, blocks: UInt64) throws(ControlError) -> UInt64 {
    try state.withLock { state throws(ControlError) -> UInt64 in
      switch chain {
      case "ethereum":
        state.ethereum.block += blocks
        return state.ethereum.block
      case "solana":
        state.solana.slot += blocks
        return state.solana.slot
      default:
        throw Self.unknownChain(chain)
      }
    }
  }

  /// Injects `fault` into `chain`'s JSON-RPC, or into the CoinGecko API when `chain` is
  /// `coingecko`.
  public func setFault(chain: String, _ fault: DevChainFault) throws(ControlError) {
    guard Self.faultTargets.contains(chain) else {
      throw ControlError(
        message:
          "unknown fault target \"\(chain)\"; faults go to \(Self.faultTargets.joined(separator: ", "))")
    }
    state.withLock { $0.faults[chain] = fault.kind == .none ? nil : fault }
  }

  /// Switches Multicall3 off to simulate a chain without it, and sets its per-call cap.
  public func configureMulticall(enabled: Bool, maxCalls: Int? = nil) {
    state.withLock { state in
      state.ethereum.multicallEnabled = enabled
      if let maxCalls { state.ethereum.maxCallsPerMulticall = maxCalls }
    }
  }

  /// Mints created with this symbol, as base58.
  public func mints(symbol: String) -> [String] {
    state.withLock { state in
      state.solana.mints.filter { $0.value.symbol == symbol }.map(\.key.base58).sorted()
    }
  }

  public func resetStats() {
    state.withLock { state in
      for chain in Self.chains { state.stats[chain] = DevChainStats() }
      state.coinGeckoStats = CoinGeckoStats()
    }
  }

  static func unknownChain(_ chain: String) -> ControlError {
    ControlError(message: "unknown chain \"\(chain)\"; devchain serves \(chains.joined(separator: " and "))")
  }

  static func evm(_ text: String) throws(ControlError) -> EVMAddress {
    do { return try EVMAddress(parsing: text) } catch { throw ControlError(message: error.description) }
  }

  static func solana(_ text: String) throws(ControlError) -> SolanaAddress {
    do { return try SolanaAddress(parsing: text) } catch { throw ControlError(message: error.description) }
  }
}
