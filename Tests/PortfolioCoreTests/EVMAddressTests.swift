import PortfolioCore
import Testing

/// EIP-55 against the examples published in the EIP itself.
struct EVMAddressTests {
  static let eip55 = [
    // All caps
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    // All lower
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    // Normal
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
  ]

  @Test(arguments: eip55)
  func lowercaseInputGivesSpecChecksum(spec: String) throws {
    let address = try EVMAddress(parsing: spec.lowercased())
    #expect(address.checksummed == spec)
    #expect(address.description == spec)
    #expect(address.lowercasedHex == spec.lowercased())
  }

  @Test(arguments: eip55)
  func specStringsAccepted(spec: String) throws {
    let address = try EVMAddress(parsing: spec)
    #expect(address.checksummed == spec)
    #expect(address == (try EVMAddress(parsing: spec.lowercased())))
  }

  /// Flip the case of one letter: now mixed case with a wrong checksum.
  @Test(arguments: eip55)
  func flippedCaseRejectedWithSuggestion(spec: String) throws {
    var characters = Array(spec)
    let index = try #require(characters.indices.dropFirst(2).first { characters[$0].isLetter })
    let letter = characters[index]
    characters[index] = Character(letter.isUppercase ? letter.lowercased() : letter.uppercased())
    let typo = String(characters)
    let error = #expect(throws: AddressError.self) { try EVMAddress(parsing: typo) }
    #expect(error?.suggestion == spec)
    #expect(error?.reason.hasPrefix("checksum mismatch") == true)
    #expect(error?.description.contains("did you mean \(spec)?") == true)
  }

  @Test func uppercaseInputAccepted() throws {
    let spec = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"
    let upper = "0x" + spec.dropFirst(2).uppercased()
    #expect(try EVMAddress(parsing: upper).checksummed == spec)
  }

  @Test func surroundingWhitespaceTrimmed() throws {
    let spec = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
    #expect(try EVMAddress(parsing: " \t\(spec)\n").checksummed == spec)
  }

  @Test(arguments: [
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", 39),
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0", 41),
    ("0x", 0),
  ])
  func wrongLengthRejected(text: String, found: Int) {
    let error = #expect(throws: AddressError.self) { try EVMAddress(parsing: text) }
    #expect(error?.reason.hasPrefix("expected 40 hex digits after 0x, found \(found)") == true)
    #expect(error?.suggestion == nil)
  }

  @Test func missingPrefixRejectedWithSuggestion() {
    let error = #expect(throws: AddressError.self) {
      try EVMAddress(parsing: "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
    }
    #expect(error?.reason.hasPrefix("missing 0x prefix") == true)
    #expect(error?.suggestion == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
  }

  @Test func missingPrefixWithoutValidRestHasNoSuggestion() {
    let error = #expect(throws: AddressError.self) {
      try EVMAddress(parsing: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA")
    }
    #expect(error?.reason.hasPrefix("missing 0x prefix") == true)
    #expect(error?.suggestion == nil)
  }

  @Test func nonHexCharacterNamedWithPosition() {
    // 'g' replaces the last digit: position 42 counting the "0x".
    let error = #expect(throws: AddressError.self) {
      try EVMAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")
    }
    #expect(error?.reason.hasPrefix("non-hex character 'g' at position 42") == true)
  }

  @Test func letterOInsteadOfZeroNamed() {
    let error = #expect(throws: AddressError.self) {
      try EVMAddress(parsing: "0x52908400O98527886E0F7030069857D2E4169EE7")
    }
    #expect(error?.reason.hasPrefix("non-hex character 'O' at position 11") == true)
  }

  @Test(arguments: ["", "   ", "\n"])
  func emptyRejected(text: String) {
    let error = #expect(throws: AddressError.self) { try EVMAddress(parsing: text) }
    #expect(error?.reason.contains("empty") == true)
  }

  @Test func bytesInitializer() throws {
    let expected = try #require(Hex.decode("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"))
    let address = try #require(EVMAddress(bytes: expected))
    #expect(address.checksummed == "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
    #expect(EVMAddress(bytes: Array(expected.dropLast())) == nil)
    #expect(EVMAddress(bytes: expected + [0]) == nil)
  }
}
