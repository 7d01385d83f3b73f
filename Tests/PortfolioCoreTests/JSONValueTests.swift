import Foundation
import PortfolioCore
import Testing

/// The fast writer must produce JSON that an independent parser reads back to the same value.
@Suite struct JSONValueWritingTests {
  @Test func writesWhatFoundationParsesBack() throws {
    let value: JSONValue = [
      "jsonrpc": "2.0", "id": 7, "big": .unsigned(UInt64.max), "neg": .integer(-5), "ok": true, "none": .null,
      "text": .string("quote \" backslash \\ newline \n tab \t bell \u{07} é 🚀"),
      "list": [1, "two", [.bool(false)]], "half": .double(0.5),
    ]
    let bytes = value.jsonBytes
    let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    #expect(parsed["text"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07} é 🚀")
    #expect((parsed["big"] as? NSNumber)?.uint64Value == UInt64.max)
    #expect(parsed["neg"] as? Int == -5)
    #expect(parsed["none"] is NSNull)
    #expect(parsed["half"] as? Double == 0.5)
    #expect(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) == value)
  }

  @Test func keysAreSortedAndPlainStringsCopiedAsIs() {
    let value: JSONValue = ["b": "0xdeadbeef", "a": .null]
    #expect(String(decoding: value.jsonBytes, as: UTF8.self) == #"{"a":null,"b":"0xdeadbeef"}"#)
  }
}
