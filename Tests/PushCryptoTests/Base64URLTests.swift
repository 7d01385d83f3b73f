import Foundation
import PushCrypto
import Testing

@Suite struct Base64URLTests {
  @Test func encodesTheRFC4648VectorsWithoutPadding() {
    for (text, encoded) in PublishedVectors.rfc4648 {
      #expect(Base64URL.encode(Data(text.utf8)) == encoded)
    }
  }

  @Test func decodesTheRFC4648VectorsWithAndWithoutPadding() {
    for (text, encoded) in PublishedVectors.rfc4648 {
      let padded = encoded + String(repeating: "=", count: (4 - encoded.count % 4) % 4)
      #expect(Base64URL.decode(encoded) == Data(text.utf8))
      #expect(Base64URL.decode(padded) == Data(text.utf8))
    }
  }

  @Test func usesTheURLSafeAlphabet() {
    // Standard base64 of these bytes is "+/8=".
    #expect(Base64URL.encode(Data([0xFB, 0xFF])) == "-_8")
    #expect(Base64URL.decode("-_8") == Data([0xFB, 0xFF]))
  }

  @Test(arguments: ["+/8", "Zg=", "Zg===", "Z", "Zm9vY", "Zg==Zg", "a b", "Zm9v\n"])
  func refusesWhatIsNotBase64URL(_ text: String) {
    #expect(Base64URL.decode(text) == nil)
  }
}
