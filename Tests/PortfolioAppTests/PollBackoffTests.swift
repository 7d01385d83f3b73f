import ChainClients
import LiveUpdates
import Testing

/// The poller's wait between ticks, and how soon it reads again after its node comes back.
@Suite struct PollBackoffTests {
  @Test func withoutFailuresItWaitsOneInterval() {
    #expect(
      PollBackoff.delay(afterFailures: 0, interval: .seconds(12), coolDown: .seconds(10)) == .seconds(12))
  }

  @Test func failuresDoubleTheWaitUpToAnIntervalPlusTheCoolDown() {
    let waits = (1...5).map {
      PollBackoff.delay(afterFailures: $0, interval: .seconds(2), coolDown: .seconds(10))
    }
    #expect(waits == [.seconds(4), .seconds(8), .seconds(12), .seconds(12), .seconds(12)])
    // Ethereum's 12 s interval waited up to 60 s before; now one interval plus the cool-down.
    #expect(
      PollBackoff.delay(afterFailures: 3, interval: .seconds(12), coolDown: .seconds(10)) == .seconds(22))
  }

  @Test func whileTheBreakerIsOpenItWaitsForTheProbe() {
    let interval = Duration.seconds(2)
    let coolDown = Duration.seconds(10)
    #expect(
      PollBackoff.delay(afterFailures: 1, interval: interval, coolDown: coolDown, breakerWait: .seconds(9))
        == .seconds(9))
    #expect(
      PollBackoff.delay(afterFailures: 4, interval: interval, coolDown: coolDown, breakerWait: .seconds(9))
        == .seconds(12))
    #expect(
      PollBackoff.delay(afterFailures: 0, interval: interval, coolDown: coolDown, breakerWait: .seconds(9))
        == interval)
    #expect(
      PollBackoff.delay(afterFailures: 1, interval: interval, coolDown: coolDown, breakerWait: .seconds(60))
        == .seconds(12))
  }

  @Test func anyFailureCountStaysAtTheCeiling() {
    for failures in [20, 63, 64, 1_000_000, Int.max] {
      #expect(
        PollBackoff.delay(afterFailures: failures, interval: .seconds(12), coolDown: .seconds(10))
          == .seconds(22))
    }
  }

  /// Replays an outage against the real breaker with a fake clock: the node fails every
  /// request until `recovery`, then answers. Each tick is one head check with the client's
  /// retries (milliseconds next to the interval, so counted at the tick's instant). Returns
  /// how long after `recovery` the first successful read comes.
  func readAgain(
    after recovery: Duration, interval: Duration, coolDown: Duration, attempts: Int = 4, threshold: Int = 5
  ) -> Duration? {
    let start = ContinuousClock.now
    var breaker = CircuitBreaker(failureThreshold: threshold, coolDown: coolDown)
    var now = start
    var failures = 0
    while now - start < recovery + .seconds(3600) {
      let nodeIsUp = now - start >= recovery
      attempts: for _ in 0..<attempts {
        switch breaker.decide(now: now) {
        case .reject:
          break attempts
        case .allow(let ticket), .probe(let ticket):
          guard !nodeIsUp else { return now - start - recovery }
          breaker.record(.failure, for: ticket, now: now)
        }
      }
      failures += 1
      now += PollBackoff.delay(
        afterFailures: failures, interval: interval, coolDown: coolDown, breakerWait: breaker.wait(now: now))
    }
    return nil
  }

  @Test(arguments: [
    (Duration.seconds(12), Duration.seconds(10)), (.seconds(2), .seconds(10)), (.seconds(4), .seconds(10)),
    (.milliseconds(500), .seconds(10)), (.seconds(30), .seconds(10)),
  ])
  func theNextReadAfterARecoveryComesWithinAnIntervalPlusTheCoolDown(interval: Duration, coolDown: Duration)
    throws
  {
    var worst = Duration.zero
    for tenths in 1...3000 {
      let late = try #require(
        readAgain(after: .milliseconds(tenths * 100), interval: interval, coolDown: coolDown))
      worst = max(worst, late)
    }
    #expect(worst <= interval + coolDown)
  }
}
