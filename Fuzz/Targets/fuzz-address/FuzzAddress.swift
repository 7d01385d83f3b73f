// libFuzzer target: wallet address text, as a person types it into the API.
//
// The bytes are one address attempt (any UTF-8, even invalid). It is parsed as an EVM
// address, a Solana address, base58 and through `WalletAddress.canonical` on both families;
// each accepted address must round-trip through its canonical form, each suggestion offered
// for a rejected one must itself be accepted, and base58 must round-trip raw bytes.
import FuzzSupport
import PortfolioCore

@main enum FuzzAddress {
  static func main() { runLibFuzzer { start, count in fuzz(start, count) } }
}

private let ethereum = Chain(name: "ethereum", family: .evm)
private let solana = Chain(name: "solana", family: .solana)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let bytes = fuzzInput(start, count)
  let text = String(decoding: bytes, as: UTF8.self)
  checkEVM(text)
  checkSolana(text)
  checkBase58(text: text, bytes: bytes)
  for chain in [ethereum, solana] {
    if let canonical = try? WalletAddress.canonical(text, on: chain) {
      let again = try? WalletAddress.canonical(canonical, on: chain)
      precondition(again == canonical, "canonical form \(canonical) of \(chain) is not canonical")
    }
  }
  return 0
}

private func checkEVM(_ text: String) {
  do {
    let address = try EVMAddress(parsing: text)
    precondition(address.bytes.count == EVMAddress.byteCount)
    for form in [
      address.checksummed, address.lowercasedHex, "0x" + address.lowercasedHex.dropFirst(2).uppercased(),
    ] {
      let reparsed: EVMAddress
      do { reparsed = try EVMAddress(parsing: form) } catch {
        preconditionFailure("EVM form \(form) of an accepted address is refused: \(error)")
      }
      precondition(reparsed == address, "EVM form \(form) parses to another address")
    }
    precondition(address.lowercasedHex.utf8.count == 42 && address.checksummed.utf8.count == 42)
  } catch {
    checkRefusal(error) { (suggestion: String) throws(AddressError) in
      try EVMAddress(parsing: suggestion).checksummed
    }
  }
}

private func checkSolana(_ text: String) {
  do {
    let address = try SolanaAddress(parsing: text)
    precondition(address.bytes.count == SolanaAddress.byteCount)
    let reparsed: SolanaAddress
    do { reparsed = try SolanaAddress(parsing: address.base58) } catch {
      preconditionFailure("Solana form \(address.base58) of an accepted address is refused: \(error)")
    }
    precondition(reparsed == address, "Solana form \(address.base58) parses to another address")
    precondition((32...44).contains(address.base58.utf8.count), "base58 of 32 bytes has 32 to 44 digits")
  } catch {
    checkRefusal(error) { (suggestion: String) throws(AddressError) in
      try SolanaAddress(parsing: suggestion).base58
    }
  }
}

/// A refusal says something, and what it suggests is a valid address in canonical form.
private func checkRefusal(_ error: AddressError, parse: (String) throws(AddressError) -> String) {
  precondition(!error.reason.isEmpty && !error.description.isEmpty, "an address error with no reason")
  guard let suggestion = error.suggestion else { return }
  do {
    let canonical = try parse(suggestion)
    precondition(canonical == suggestion, "suggestion \(suggestion) is not canonical (\(canonical))")
  } catch {
    preconditionFailure("suggestion \(suggestion) is itself refused: \(error)")
  }
}

/// Base58 decoding is quadratic; text this long is refused before decoding in the server.
private let base58Limit = 300

private func checkBase58(text: String, bytes: [UInt8]) {
  if text.utf8.count <= base58Limit, let decoded = Base58.decode(text) {
    let encoded = Base58.encode(decoded)
    precondition(encoded == text, "base58 \(text) decodes to bytes that encode as \(encoded)")
  }
  let raw = Array(bytes.prefix(base58Limit / 2))
  let encoded = Base58.encode(raw)
  precondition(Base58.decode(encoded) == raw, "base58 of raw bytes does not decode back")
}
