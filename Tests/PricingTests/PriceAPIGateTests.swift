import ChainClients
import Testing

@testable import Pricing

/// The pace, pause and breaker every CoinGecko request passes, without I/O.
@Suite struct PriceAPIGateTests {
  static func gate(requestsPerMinute: Double, threshold: Int = 2) -> (PriceAPIGate, ContinuousClock.Instant) {
    let start = ContinuousClock.now
    let gate = PriceAPIGate(
      breaker: CircuitBreaker(failureThreshold: threshold, coolDown: .seconds(60)),
      requestsPerMinute: requestsPerMinute, now: start)
    return (gate, start)
  }

  static func wait(_ reservation: PriceAPIGate.Reservation) -> Duration? {
    if case .wait(let wait) = reservation { return wait }
    return nil
  }

  @Test func aBurstOfHalfAMinutesAllowanceThenTheSteadyPace() {
    let (gate, start) = Self.gate(requestsPerMinute: 4)
    let waits = (0..<3).map { _ in Self.wait(gate.reserve(now: start, longestWait: .seconds(30))) }
    #expect(waits[0] == .zero && waits[1] == .zero)
    // 4 a minute: the third waits 15 s for its token.
    #expect(waits[2] == .seconds(15))
  }

  @Test func aLongPauseFailsAtOnceAndAShortOneIsWaited() {
    let (gate, start) = Self.gate(requestsPerMinute: 0)
    gate.pause(until: start + .seconds(120))
    guard case .paused(let remaining) = gate.reserve(now: start, longestWait: .seconds(30)) else {
      Issue.record("a two-minute pause should refuse a request that may wait 30 s")
      return
    }
    #expect(remaining == .seconds(120))
    #expect(Self.wait(gate.reserve(now: start + .seconds(100), longestWait: .seconds(30))) == .seconds(20))
  }

  @Test func failuresSidelineTheAPI() throws {
    let (gate, start) = Self.gate(requestsPerMinute: 0, threshold: 2)
    for _ in 0..<2 {
      let ticket = try #require(gate.admit(now: start))
      gate.record(.rateLimited, for: ticket, now: start)
    }
    guard case .sidelined = gate.reserve(now: start + .seconds(1), longestWait: .seconds(30)) else {
      Issue.record("two failures in a row should open the breaker")
      return
    }
    #expect(gate.admit(now: start + .seconds(1)) == nil)
    #expect(gate.stats.breakerOpen)
    #expect(gate.stats.rateLimited == 2 && gate.stats.rejected == 2)
    // After the cool-down one probe goes through.
    #expect(Self.wait(gate.reserve(now: start + .seconds(61), longestWait: .seconds(30))) == .zero)
    #expect(gate.admit(now: start + .seconds(61)) != nil)
    #expect(gate.admit(now: start + .seconds(61)) == nil)
  }
}
