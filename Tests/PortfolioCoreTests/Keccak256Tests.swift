import PortfolioCore
import Testing

/// Keccak-256 against published digests (Ethereum's Keccak, not SHA3-256).
struct Keccak256Tests {
  /// Published vectors: "" and "abc" from the Keccak team's known answers as used
  /// by Ethereum clients; the two ABI strings are the well-known ERC-20 selectors.
  @Test(arguments: [
    ("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
    ("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
    ("hello world", "47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad"),
    (
      "transfer(address,uint256)",
      "a9059cbb2ab09eb219583f4a59a5d0623ade346d962bcd4e46b11da047c9049b"
    ),
    (
      "The quick brown fox jumps over the lazy dog",
      "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"
    ),
  ])
  func publishedVectors(input: String, digest: String) {
    #expect(Hex.encode(Keccak256.hash(input)) == digest)
    #expect(Hex.encode(Keccak256.hash(Array(input.utf8))) == digest)
  }

  @Test func erc20BalanceOfSelector() {
    #expect(Hex.encode(Keccak256.hash("balanceOf(address)").prefix(4)) == "70a08231")
  }

  /// Inputs around and beyond the 136-byte rate, so block absorption and padding
  /// at every boundary are exercised. Reference digests come from pycryptodome 4.4.0
  /// (`Crypto.Hash.keccak.new(digest_bits=256)`), an independent implementation.
  @Test(arguments: [
    (135, "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"),
    (136, "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"),
    (137, "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"),
    (200, "96ea54061def936c4be90b518992fdc6f12f535068a256229aca54267b4d084d"),
    (272, "cf7fcd4f705ee749930d19ca84561a9bf62516bd90a471545fa2f49fdc7e63c8"),
  ])
  func multiBlockRepeatedA(count: Int, digest: String) {
    let input = [UInt8](repeating: UInt8(ascii: "a"), count: count)
    #expect(Hex.encode(Keccak256.hash(input)) == digest)
  }

  /// 1000 bytes 0x00, 0x01, … 0xff, 0x00, …: reference from pycryptodome 4.4.0.
  @Test func longCountingBytes() {
    let input = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
    #expect(
      Hex.encode(Keccak256.hash(input))
        == "aca79e4146e30eb1c733f6d6060d72471c36ea4e01ebf45d7f4916249c2bbd82")
  }

  /// Non-contiguous collections and slices take other code paths; same published digest.
  @Test func anyCollectionShape() {
    let abc = "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    #expect(Hex.encode(Keccak256.hash(Array("abc".utf8).lazy.map { $0 })) == abc)
    #expect(Hex.encode(Keccak256.hash(Array("xxabcxx".utf8)[2..<5])) == abc)
    #expect(Hex.encode(Keccak256.hash("abc".utf8)) == abc)
    #expect(Keccak256.hash("").count == 32)
  }
}
