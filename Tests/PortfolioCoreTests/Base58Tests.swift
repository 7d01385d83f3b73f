import PortfolioCore
import Testing

/// Base58 against Bitcoin Core's src/test/data/base58_encode_decode.json.
struct Base58Tests {
  static let bitcoinCore: [(String, String)] = [
    ("", ""),
    ("61", "2g"),
    ("626262", "a3gV"),
    ("636363", "aPEr"),
    ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
    ("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
    ("516b6fcd0f", "ABnLTmg"),
    ("bf4f89001e670274dd", "3SEo3LWLoPntC"),
    ("572e4794", "3EFU7m"),
    ("ecac89cad93923c02321", "EJDM8drfXA6uyA"),
    ("10c8511e", "Rt5zm"),
    ("00000000000000000000", "1111111111"),
    (
      "000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5",
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    ),
    ("271F359E", "zzzzy"),
    ("271F359F", "zzzzz"),
    ("271F35A0", "211111"),
    ("271F35A1", "211112"),
  ]

  /// Leading-zero example of the Base58 Internet-Draft (draft-msporny-base58):
  /// three zero bytes then 0x287fb4cd give three '1's then "233QC4".
  static let draft: [(String, String)] = [
    ("000000287fb4cd", "111233QC4"),
    ("48656c6c6f20576f726c6421", "2NEpo7TZRRrLZSi2U"),  // "Hello World!"
    ("00000000", "1111"),
  ]

  @Test(arguments: bitcoinCore + draft)
  func encode(hex: String, base58: String) throws {
    let bytes = try #require(Hex.decode(hex))
    #expect(Base58.encode(bytes) == base58)
  }

  @Test(arguments: bitcoinCore + draft)
  func decode(hex: String, base58: String) throws {
    let bytes = try #require(Hex.decode(hex))
    #expect(Base58.decode(base58) == bytes)
  }

  /// Bitcoin Core's larger vector: bytes 0x00…0xff.
  @Test func allByteValues() {
    let bytes = (0...255).map { UInt8($0) }
    let expected =
      "1cWB5HCBdLjAuqGGReWE3R3CguuwSjw6RHn39s2yuDRTS5NsBgNiFpWgAnEx6VQi8csexkgYw3mdYrMHr8x9i7aEwP8kZ7vccXWqKDvGv3u1GxFKPuAkn8JCPPGDMf3vMMnbzm6Nh9zh1gcNsMvH3ZNLmP5fSG6DGbbi2tuwMWPthr4boWwCxf7ewSgNQeacyozhKDDQQ1qL5fQFUW52QKUZDZ5fw3KXNQJMcNTcaB723LchjeKun7MuGW5qyCBZYzA1KjofN1gYBV3NqyhQJ3Ns746GNuf9N2pQPmHz4xpnSrrfCvy6TVVz5d4PdrjeshsWQwpZsZGzvbdAdN8MKV5QsBDY"
    #expect(Base58.encode(bytes) == expected)
    #expect(Base58.decode(expected) == bytes)
  }

  /// Characters outside the alphabet, including the four it leaves out on purpose.
  @Test(arguments: ["0", "O", "I", "l", "3mJr0", "4kl8", " 2g", "2g ", "+", "é", "2g\n"])
  func rejectsInvalidCharacters(text: String) {
    #expect(Base58.decode(text) == nil)
  }
}
