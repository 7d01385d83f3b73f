import BigInt
import Foundation
import PortfolioCore

/// Answers the Solana JSON-RPC methods the readers use, from `SolanaLedger`.
enum SolanaRPC {
  static let maxMultipleAccounts = 100

  static func handle(_ method: String, _ params: [JSONValue], ledger: SolanaLedger) throws(RPCFailure)
    -> JSONValue
  {
    switch method {
    case "getHealth":
      return "ok"
    case "getSlot", "getBlockHeight":
      return .unsigned(ledger.slot)
    case "getBalance":
      let key = try address(params.string(at: 0, "pubkey"))
      return context(ledger, value: .unsigned(ledger.lamports[key] ?? 0))
    case "getMultipleAccounts":
      guard case .array(let keys)? = params.first else {
        throw .invalidParams("parameter 1 must be an array of base58 public keys")
      }
      guard keys.count <= maxMultipleAccounts else {
        throw .invalidParams("Too many inputs provided; max \(maxMultipleAccounts)")
      }
      let accounts = try keys.map { key throws(RPCFailure) -> JSONValue in
        guard case .string(let text) = key else { throw .invalidParams("public keys must be strings") }
        return account(try address(text), ledger: ledger)
      }
      return context(ledger, value: .array(accounts))
    case "getAccountInfo":
      return context(ledger, value: account(try address(params.string(at: 0, "pubkey")), ledger: ledger))
    case "getTokenAccountsByOwner":
      return try tokenAccountsByOwner(params, ledger: ledger)
    default:
      throw .methodNotFound(method)
    }
  }

  private static func tokenAccountsByOwner(_ params: [JSONValue], ledger: SolanaLedger) throws(RPCFailure)
    -> JSONValue
  {
    let owner = try address(params.string(at: 0, "owner"))
    let filter = params.object(at: 1)
    let program = try filter["programId"]?.stringValue.map { text throws(RPCFailure) in try address(text) }
    let mint = try filter["mint"]?.stringValue.map { text throws(RPCFailure) in try address(text) }
    guard program != nil || mint != nil else {
      throw .invalidParams("parameter 2 must name a programId or a mint")
    }
    let parsed = params.object(at: 2)["encoding"]?.stringValue == "jsonParsed"
    let entries = (ledger.tokenAccountsByOwner[owner] ?? []).compactMap { key -> JSONValue? in
      guard let tokenAccount = ledger.tokenAccounts[key],
        program.map({ $0 == tokenAccount.program }) ?? true, mint.map({ $0 == tokenAccount.mint }) ?? true
      else { return nil }
      let data: JSONValue =
        parsed ? parsedData(tokenAccount, ledger: ledger) : base64(tokenData(tokenAccount))
      return [
        "pubkey": .string(key.base58),
        "account": accountObject(
          lamports: SolanaLedger.tokenAccountRent, owner: tokenAccount.program, data: data,
          space: SPLTokenAccount.length),
      ]
    }
    return context(ledger, value: .array(entries))
  }

  private static func account(_ key: SolanaAddress, ledger: SolanaLedger) -> JSONValue {
    if let tokenAccount = ledger.tokenAccounts[key] {
      return accountObject(
        lamports: SolanaLedger.tokenAccountRent, owner: tokenAccount.program,
        data: base64(tokenData(tokenAccount)), space: SPLTokenAccount.length)
    }
    if let mint = ledger.mints[key] {
      return accountObject(
        lamports: 1_461_600, owner: mint.program, data: base64(SPLMint.data(decimals: mint.decimals)),
        space: SPLMint.length)
    }
    guard let lamports = ledger.lamports[key], lamports > 0,
      let system = try? SolanaAddress(parsing: SolanaPrograms.system)
    else { return .null }
    return accountObject(lamports: lamports, owner: system, data: base64([]), space: 0)
  }

  private static func tokenData(_ account: SolanaLedger.TokenAccount) -> [UInt8] {
    SPLTokenAccount(mint: account.mint, owner: account.owner, amount: account.amount).data
  }

  private static func parsedData(_ account: SolanaLedger.TokenAccount, ledger: SolanaLedger) -> JSONValue {
    let decimals = ledger.mints[account.mint]?.decimals ?? 0
    let amount = String(account.amount)
    return [
      "program": account.program.base58 == SolanaPrograms.token2022 ? "spl-token-2022" : "spl-token",
      "parsed": [
        "type": "account",
        "info": [
          "isNative": false,
          "mint": .string(account.mint.base58),
          "owner": .string(account.owner.base58),
          "state": "initialized",
          "tokenAmount": [
            "amount": .string(amount),
            "decimals": .integer(Int64(decimals)),
            "uiAmountString": .string(TokenAmount.format(raw: BigUInt(account.amount), decimals: decimals)),
          ],
        ],
      ],
      "space": .integer(Int64(SPLTokenAccount.length)),
    ]
  }

  private static func accountObject(lamports: UInt64, owner: SolanaAddress, data: JSONValue, space: Int)
    -> JSONValue
  {
    [
      "lamports": .unsigned(lamports),
      "owner": .string(owner.base58),
      "data": data,
      "executable": false,
      "rentEpoch": .unsigned(UInt64.max),
      "space": .integer(Int64(space)),
    ]
  }

  private static func base64(_ bytes: [UInt8]) -> JSONValue {
    [.string(Data(bytes).base64EncodedString()), "base64"]
  }

  private static func context(_ ledger: SolanaLedger, value: JSONValue) -> JSONValue {
    ["context": ["slot": .unsigned(ledger.slot), "apiVersion": "2.0.15"], "value": value]
  }

  static func address(_ text: String) throws(RPCFailure) -> SolanaAddress {
    do {
      return try SolanaAddress(parsing: text)
    } catch {
      throw .invalidParams("Invalid param: \(error.description)")
    }
  }
}
