// libFuzzer target: JSON-RPC answers, as a chain node (or anything posing as one) sends them.
//
// An input is a response body. It is decoded as a single answer and as a batch of three, for
// every result type the chain clients ask for (hex strings, numbers, aggregate3 results,
// Solana account pages), and each result is taken on as the readers take it: hex quantities,
// ERC-20 and Chainlink return data, base58 account keys, base64 SPL token and mint accounts.
import BigInt
import FuzzSupport
import PortfolioCore

@testable import ChainClients

@main enum FuzzJSONRPC {
  static func main() { runLibFuzzer { start, count in fuzz(start, count) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let body = fuzzInput(start, count)
  for result in answers(body, as: String.self) { takeHex(result) }
  for result in answers(body, as: UInt64.self) { _ = result }
  for result in answers(body, as: Aggregate3Answer.self) { takeAggregate3(result) }
  for page in answers(body, as: SolanaContext<[KeyedAccount]>.self) {
    for entry in page.value {
      _ = try? SolanaAddress(parsing: entry.pubkey)
      takeAccount(entry.account)
    }
  }
  for page in answers(body, as: SolanaContext<[AccountInfo?]>.self) {
    for info in page.value { info.map(takeAccount) }
  }
  precondition(!JSONRPCCodec.snippet(body).isEmpty || body.isEmpty, "an empty snippet of a body")
  return 0
}

/// The successful results of `body` read as one answer (id 1) and as a batch of three (ids 1 to
/// 3); JSON-RPC errors and refused bodies are looked at and dropped.
private func answers<R: Decodable & Sendable>(_ body: [UInt8], as type: R.Type) -> [R] {
  var outcomes: [Result<R, JSONRPCError>] = []
  do { outcomes.append(try JSONRPCCodec.decodeSingle(body, as: type, id: 1)) } catch {
    precondition(!error.reason.isEmpty, "a decoding failure with no reason")
  }
  do {
    let batch = try JSONRPCCodec.decodeBatch(body, as: type, firstID: 1, count: 3)
    precondition(batch.count == 3, "a batch of three answered with \(batch.count) results")
    outcomes += batch
  } catch {
    precondition(!error.reason.isEmpty, "a decoding failure with no reason")
  }
  return outcomes.compactMap { outcome in
    switch outcome {
    case .success(let value): return value
    case .failure(let error):
      precondition(!error.description.isEmpty, "a JSON-RPC error with no description")
      return nil
    }
  }
}

/// A hex result: a quantity (chain id, block number, balance) or `eth_call` return data.
private func takeHex(_ hex: String) {
  if let quantity = try? EVMBalanceReader.quantity(hex, chain: "fuzz") {
    precondition(quantity == UInt64(hex.dropFirst(2), radix: 16), "a quantity read as another number")
  }
  if hex.hasPrefix("0x"), let value = BigUInt(String(hex.dropFirst(2)), radix: 16) {
    _ = value.serialize()
  }
  guard let data = Hex.decode(hex) else { return }
  if let balance = try? ERC20Calls.decodeUInt256(data) {
    precondition(balance <= UInt256Text.max, "a uint256 above 2^256 - 1")
  }
  _ = try? ERC20Calls.decodeDecimals(data)
  _ = ERC20Calls.decodeSymbol(data)
  _ = try? AggregatorV3Calls.decodeAnswer(roundData: data, decimals: data)
}

private func takeAggregate3(_ answer: Aggregate3Answer) {
  guard case .results(let results) = answer else { return }
  for result in results where result.success {
    _ = try? ERC20Calls.decodeUInt256(result.returnData)
    _ = ERC20Calls.decodeSymbol(result.returnData)
  }
}

/// An account's base64 data as the Solana reader takes it: a token account or a mint.
private func takeAccount(_ info: AccountInfo) {
  guard let data = info.bytes else { return }
  if let account = SPLTokenAccount(data: data) {
    precondition(SPLTokenAccount(data: account.data) == account, "an SPL token account does not round-trip")
  }
  if let decimals = SPLMint.decimals(data: data) {
    precondition((0...255).contains(decimals), "mint decimals \(decimals) do not fit a byte")
  }
}
