import PortfolioCore
import Testing

/// Base16 test vectors from RFC 4648 §10 (the RFC uses uppercase; we emit lowercase).
struct HexTests {
  static let rfc4648: [(String, String)] = [
    ("", ""), ("f", "66"), ("fo", "666F"), ("foo", "666F6F"),
    ("foob", "666F6F62"), ("fooba", "666F6F6261"), ("foobar", "666F6F626172"),
  ]

  @Test(arguments: rfc4648)
  func encodeRFC4648(text: String, hex: String) {
    #expect(Hex.encode(text.utf8) == hex.lowercased())
  }

  @Test(arguments: rfc4648)
  func decodeRFC4648AnyCaseAndPrefix(text: String, hex: String) {
    let bytes = Array(text.utf8)
    #expect(Hex.decode(hex) == bytes)
    #expect(Hex.decode(hex.lowercased()) == bytes)
    #expect(Hex.decode("0x" + hex) == bytes)
  }

  @Test func decodeRejectsMalformed() {
    #expect(Hex.decode("666") == nil)  // odd length
    #expect(Hex.decode("0x6") == nil)
    #expect(Hex.decode("6g") == nil)
    #expect(Hex.decode(" 66") == nil)
    #expect(Hex.decode("0x") == [])
    #expect(Hex.decode("x66") == nil)
  }

  @Test func encodeAllByteValues() {
    #expect(Hex.encode([0x00, 0x0F, 0xA0, 0xFF]) == "000fa0ff")
  }

  @Test(arguments: rfc4648)
  func writeAppendsWhatEncodeReturns(text: String, hex: String) {
    var output = Array("0x".utf8)
    Hex.write(Array(text.utf8), to: &output)
    #expect(output == Array(("0x" + hex.lowercased()).utf8))
  }
}
