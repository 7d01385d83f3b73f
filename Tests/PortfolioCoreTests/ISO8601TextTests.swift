import Foundation
import PortfolioCore
import Testing

@Suite struct ISO8601TextTests {
  @Test func knownInstants() {
    #expect(ISO8601Text.milliseconds(0) == "1970-01-01T00:00:00.000Z")
    // Unix time 1234567890, widely quoted as 2009-02-13 23:31:30 UTC.
    #expect(ISO8601Text.milliseconds(1_234_567_890_000) == "2009-02-13T23:31:30.000Z")
    // A leap day in a year divisible by 400, and the first day of a non-leap century year.
    #expect(ISO8601Text.milliseconds(951_782_400_000) == "2000-02-29T00:00:00.000Z")
    #expect(ISO8601Text.milliseconds(4_102_444_800_000) == "2100-01-01T00:00:00.000Z")
    #expect(ISO8601Text.milliseconds(-1) == "1969-12-31T23:59:59.999Z")
    #expect(ISO8601Text.milliseconds(1_764_044_274_123) == "2025-11-25T04:17:54.123Z")
  }

  @Test func agreesWithFoundationAcrossCenturies() {
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<5_000 {
      // 1900 to 2200 in whole seconds, which Foundation formats without rounding.
      let seconds = Int64.random(in: -2_208_988_800...7_258_118_400, using: &generator)
      let foundation = Date(timeIntervalSince1970: Double(seconds)).formatted(Date.ISO8601FormatStyle())
      #expect(ISO8601Text.milliseconds(seconds * 1000) == foundation.dropLast() + ".000Z", "\(seconds)")
    }
  }
}

@Suite struct FloorDivisionTests {
  @Test(arguments: [
    (Int64(7), Int64(2), Int64(3)), (-7, 2, -4), (7, -2, -4), (-7, -2, 3), (-6, 2, -3), (0, 5, 0),
    (-1, 3_600_000, -1),
  ])
  func roundsTowardNegativeInfinity(value: Int64, divisor: Int64, quotient: Int64) {
    #expect(value.dividedRoundingDown(by: divisor) == quotient)
  }
}
