import BigInt
import ChainClients
import PortfolioCore
import Testing

@Suite struct AggregatorV3CallsTests {
  /// Selectors as Chainlink's AggregatorV3Interface publishes them.
  @Test func selectorsAreTheInterfaces() {
    #expect(Hex.encode(AggregatorV3Calls.latestRoundData) == "feaf968c")
    #expect(Hex.encode(AggregatorV3Calls.decimals) == "313ce567")
  }

  @Test func aNegativeAnswerKeepsItsSign() throws {
    func word(_ hex: String) -> [UInt8] {
      let digits = String(repeating: "0", count: 64 - hex.count) + hex
      return Hex.decode(digits) ?? []
    }
    let minusOne = [UInt8](repeating: 0xff, count: 32)
    let roundData = word("1") + minusOne + word("64") + word("65") + word("1")
    let answer = try AggregatorV3Calls.decodeAnswer(roundData: roundData, decimals: word("8"))
    #expect(answer.answer == -1)
    #expect(answer.decimals == 8)
    #expect(answer.updatedAt == 0x65)
    let price = try AggregatorV3Calls.decodeAnswer(
      roundData: word("2") + word("45dc5fa888") + word("0") + word("6553f100") + word("2"),
      decimals: word("8"))
    #expect(price.answer == BigInt(300_050_000_008))
  }
}
