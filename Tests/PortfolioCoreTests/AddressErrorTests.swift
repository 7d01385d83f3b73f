import PortfolioCore
import Testing

/// The messages people read: one actionable sentence each.
struct AddressErrorTests {
  @Test func descriptionIsASentence() {
    let error = AddressError(reason: "expected 40 hex digits after 0x, found 39")
    #expect(error.description == "Expected 40 hex digits after 0x, found 39.")
  }

  @Test func descriptionOffersSuggestion() {
    let error = AddressError(
      reason: "checksum mismatch", suggestion: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    #expect(
      error.description
        == "Checksum mismatch; did you mean 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed?")
  }

  @Test func invisibleCharacterIsSpelledOut() {
    // A zero-width space pasted inside an address.
    let error = #expect(throws: AddressError.self) {
      try EVMAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1B\u{200B}eAed")
    }
    #expect(error?.reason.contains("U+200B") == true)
  }

  @Test func spaceInsideIsNamed() {
    let error = #expect(throws: AddressError.self) {
      try EVMAddress(parsing: "0x5aAeb 6053F3E94C9b9A09f33669435E7Ef1BeAed")
    }
    #expect(error?.reason.hasPrefix("non-hex character ' ' (space) at position 8") == true)
  }

  /// A combining accent on the "x" makes it another character, so there is no "0x".
  @Test func combiningMarkOnPrefix() {
    let error = #expect(throws: AddressError.self) {
      try EVMAddress(parsing: "0x\u{301}5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
    }
    #expect(error?.reason.hasPrefix("missing 0x prefix") == true)
  }

  @Test func nonASCIIInSolanaAddressNamed() {
    let error = #expect(throws: AddressError.self) {
      try SolanaAddress(parsing: "Tokenkég")
    }
    #expect(error?.reason.hasPrefix("invalid base58 character 'é' at position 7") == true)
  }
}
