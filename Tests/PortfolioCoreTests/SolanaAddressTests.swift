import PortfolioCore
import Testing

/// Solana program and mint ids with their published 32-byte values
/// (as hard-coded in Solana programs and SDKs).
struct SolanaAddressTests {
  static let published: [(String, [UInt8])] = [
    ("11111111111111111111111111111111", [UInt8](repeating: 0, count: 32)),  // System Program
    (
      "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",  // SPL Token
      [
        6, 221, 246, 225, 215, 101, 161, 147, 217, 203, 225, 70, 206, 235, 121, 172,
        28, 180, 133, 237, 95, 91, 55, 145, 58, 140, 245, 133, 126, 255, 0, 169,
      ]
    ),
    (
      "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL",  // Associated Token Account
      [
        140, 151, 37, 143, 78, 36, 137, 241, 187, 61, 16, 41, 20, 142, 13, 131,
        11, 90, 19, 153, 218, 255, 16, 132, 4, 142, 123, 216, 219, 233, 248, 89,
      ]
    ),
    (
      "So11111111111111111111111111111111111111112",  // Wrapped SOL mint
      [
        6, 155, 136, 87, 254, 171, 129, 132, 251, 104, 127, 99, 70, 24, 192, 53,
        218, 196, 57, 220, 26, 235, 59, 85, 152, 160, 240, 0, 0, 0, 0, 1,
      ]
    ),
  ]

  @Test(arguments: published)
  func parsesToPublishedBytes(text: String, bytes: [UInt8]) throws {
    let address = try SolanaAddress(parsing: text)
    #expect(address.bytes == bytes)
    #expect(address.base58 == text)
    #expect(address.description == text)
  }

  @Test(arguments: published)
  func publishedBytesEncodeToPublishedText(text: String, bytes: [UInt8]) throws {
    #expect(try #require(SolanaAddress(bytes: bytes)).base58 == text)
  }

  /// Token-2022 program id; its bytes start 6, 221, 246, 225 like SPL Token's.
  @Test func token2022RoundTrips() throws {
    let text = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"
    let address = try SolanaAddress(parsing: "  \(text)\n")
    #expect(address.base58 == text)
    #expect(address.bytes.prefix(4) == [6, 221, 246, 225])
  }

  @Test(arguments: [("0", 6), ("O", 6), ("I", 6), ("l", 6)])
  func excludedCharacterNamed(character: String, position: Int) {
    // Replace the 'k' of "Tokenkeg…" (position 6).
    let text = "Token" + character + "egQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
    let error = #expect(throws: AddressError.self) { try SolanaAddress(parsing: text) }
    #expect(
      error?.reason.hasPrefix("invalid base58 character '\(character)' at position \(position)")
        == true)
    #expect(
      error?.reason.contains("never uses 0 (zero), O (capital o), I (capital i) or l") == true)
  }

  @Test func evmAddressRejectedAtItsZero() {
    let error = #expect(throws: AddressError.self) {
      try SolanaAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    }
    #expect(error?.reason.hasPrefix("invalid base58 character '0' at position 1") == true)
  }

  /// Valid base58 of the wrong size: a Bitcoin address (25 bytes) and ids with
  /// one extra leading '1', which is one extra zero byte.
  @Test(arguments: [
    ("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L", 25),
    ("1" + "11111111111111111111111111111111", 33),
    ("1So11111111111111111111111111111111111111112", 33),
    ("2g", 1),
  ])
  func wrongDecodedLengthRejected(text: String, count: Int) {
    let error = #expect(throws: AddressError.self) { try SolanaAddress(parsing: text) }
    let unit = count == 1 ? "byte" : "bytes"
    #expect(error?.reason.hasPrefix("decodes to \(count) \(unit) instead of 32") == true)
  }

  @Test func emptyAndOverlongRejected() {
    let empty = #expect(throws: AddressError.self) { try SolanaAddress(parsing: " ") }
    #expect(empty?.reason.contains("empty") == true)
    let long = #expect(throws: AddressError.self) {
      try SolanaAddress(parsing: String(repeating: "z", count: 300))
    }
    #expect(long?.reason.contains("300 characters") == true)
  }

  @Test func bytesInitializerRequires32() {
    #expect(SolanaAddress(bytes: [UInt8](repeating: 1, count: 31)) == nil)
    #expect(SolanaAddress(bytes: [UInt8](repeating: 1, count: 33)) == nil)
  }
}
