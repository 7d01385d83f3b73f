import Foundation
public import PortfolioCore

/// SOL and SPL token balances of many wallets: `getMultipleAccounts` (100 keys a call, many
/// calls per JSON-RPC batch) over the wallets and their known token accounts, which
/// `getTokenAccountsByOwner` discovers for the Token and Token-2022 programs.
public final class SolanaBalanceReader: Sendable {
  public struct Settings: Sendable {
    /// processed, confirmed or finalized.
    public var commitment = "confirmed"
    /// getMultipleAccounts takes at most 100 keys.
    public var keysPerCall = 100
    /// Calls in one HTTP request.
    public var callsPerBatch = 10
    public var concurrency = 4

    public init() {}
  }

  public let rpc: RPCClient
  let settings: Settings
  static let programs = [SolanaPrograms.token, SolanaPrograms.token2022]

  public init(rpc: RPCClient, settings: Settings = Settings()) {
    self.rpc = rpc
    self.settings = settings
  }

  public func slot() async throws(ChainRPCError) -> UInt64 {
    try await rpc.call(
      JSONRPCCall("getSlot", [["commitment": .string(settings.commitment)]]), as: UInt64.self)
  }

  /// The token accounts each owner holds, under both token programs.
  public func discoverTokenAccounts(of owners: [SolanaAddress]) async throws(ChainRPCError)
    -> [SolanaAddress: [SolanaTokenAccountRef]]
  {
    let calls = owners.flatMap { owner in
      Self.programs.map { program in
        JSONRPCCall(
          "getTokenAccountsByOwner",
          [
            .string(owner.base58), ["programId": .string(program)],
            ["encoding": "base64", "commitment": .string(settings.commitment)],
          ])
      }
    }
    let answers = try await sendBatched(calls, as: SolanaContext<[KeyedAccount]>.self)
    var found: [SolanaAddress: [SolanaTokenAccountRef]] = [:]
    for (index, answer) in answers.enumerated() {
      let owner = owners[index / Self.programs.count]
      guard case .success(let page) = answer else {
        if case .failure(let error) = answer {
          throw ChainRPCError(chain: rpc.chain, kind: .rpc(error), endpoint: nil, message: error.description)
        }
        continue
      }
      for entry in page.value {
        guard let key = try? SolanaAddress(parsing: entry.pubkey), let data = entry.account.bytes,
          let account = SPLTokenAccount(data: data), account.owner == owner
        else { continue }
        found[owner, default: []].append(SolanaTokenAccountRef(address: key, mint: account.mint))
      }
    }
    return found
  }

  /// Lamports of every wallet and the amount of every token account, all from one pass of
  /// `getMultipleAccounts`; `slot` is the lowest context slot among the answers.
  public func read(wallets: [SolanaAddress], tokenAccounts: [SolanaAddress]) async throws(ChainRPCError)
    -> SolanaReading
  {
    let keys = wallets + tokenAccounts
    let chunks = stride(from: 0, to: keys.count, by: settings.keysPerCall).map {
      Array(keys[$0..<min($0 + settings.keysPerCall, keys.count)])
    }
    let calls = chunks.map { chunk in
      JSONRPCCall(
        "getMultipleAccounts",
        [
          .array(chunk.map { .string($0.base58) }),
          ["encoding": "base64", "commitment": .string(settings.commitment)],
        ])
    }
    let answers = try await sendBatched(calls, as: SolanaContext<[AccountInfo?]>.self)
    var lamports: [SolanaAddress: UInt64] = [:]
    var tokens: [SolanaAddress: SPLTokenAccount] = [:]
    var slot = UInt64.max
    let walletSet = Set(wallets)
    for (chunk, answer) in zip(chunks, answers) {
      let page: SolanaContext<[AccountInfo?]>
      switch answer {
      case .success(let value): page = value
      case .failure(let error):
        throw ChainRPCError(chain: rpc.chain, kind: .rpc(error), endpoint: nil, message: error.description)
      }
      guard page.value.count == chunk.count else {
        throw ChainRPCError(
          chain: rpc.chain, kind: .malformed, endpoint: nil,
          message: "getMultipleAccounts answered \(page.value.count) accounts for \(chunk.count) keys")
      }
      slot = min(slot, page.context.slot)
      for (key, info) in zip(chunk, page.value) {
        if walletSet.contains(key) { lamports[key] = info?.lamports ?? 0 }
        if let data = info?.bytes, let account = SPLTokenAccount(data: data) { tokens[key] = account }
      }
    }
    return SolanaReading(slot: slot == .max ? 0 : slot, lamports: lamports, tokenAccounts: tokens)
  }

  /// Decimals of each mint, from the mint accounts.
  public func mintDecimals(_ mints: [SolanaAddress]) async throws(ChainRPCError) -> [SolanaAddress: UInt8] {
    let chunks = stride(from: 0, to: mints.count, by: settings.keysPerCall).map {
      Array(mints[$0..<min($0 + settings.keysPerCall, mints.count)])
    }
    let calls = chunks.map { chunk in
      JSONRPCCall("getMultipleAccounts", [.array(chunk.map { .string($0.base58) }), ["encoding": "base64"]])
    }
    let answers = try await sendBatched(calls, as: SolanaContext<[AccountInfo?]>.self)
    var decimals: [SolanaAddress: UInt8] = [:]
    for (chunk, answer) in zip(chunks, answers) {
      guard case .success(let page) = answer else { continue }
      for (mint, info) in zip(chunk, page.value) {
        if let data = info?.bytes, let value = SPLMint.decimals(data: data) { decimals[mint] = UInt8(value) }
      }
    }
    return decimals
  }

  private func sendBatched<R: Decodable & Sendable>(_ calls: [JSONRPCCall], as type: R.Type)
    async throws(ChainRPCError) -> [Result<R, JSONRPCError>]
  {
    try await BatchSender.send(
      calls, as: type, through: rpc, perRequest: settings.callsPerBatch, concurrency: settings.concurrency)
  }
}

/// A token account found for an owner.
public struct SolanaTokenAccountRef: Sendable, Hashable {
  public let address: SolanaAddress
  public let mint: SolanaAddress
}

/// One refresh of Solana: lamports per wallet and the token accounts read, at `slot`.
public struct SolanaReading: Sendable {
  public let slot: UInt64
  public let lamports: [SolanaAddress: UInt64]
  public let tokenAccounts: [SolanaAddress: SPLTokenAccount]
}

/// `{"context":{"slot":…},"value":…}`, the shape of Solana's account answers.
struct SolanaContext<Value: Decodable & Sendable>: Decodable, Sendable {
  struct Context: Decodable, Sendable { let slot: UInt64 }
  let context: Context
  let value: Value
}

struct KeyedAccount: Decodable, Sendable {
  let pubkey: String
  let account: AccountInfo
}

/// An account with base64 data: `"data": ["<base64>", "base64"]`.
struct AccountInfo: Decodable, Sendable {
  let lamports: UInt64
  let data: [String]

  var bytes: [UInt8]? {
    guard data.count == 2, data[1] == "base64", let decoded = Data(base64Encoded: data[0]) else { return nil }
    return Array(decoded)
  }
}
