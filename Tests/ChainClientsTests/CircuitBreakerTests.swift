import Testing

@testable import ChainClients

extension CircuitBreaker.Decision {
  var ticket: CircuitBreaker.Ticket? {
    switch self {
    case .allow(let ticket), .probe(let ticket): ticket
    case .reject: nil
    }
  }

  var isProbe: Bool {
    if case .probe = self { return true }
    return false
  }
}

/// The breaker's transitions, driven by a fake clock: no I/O, no sleeping.
@Suite struct CircuitBreakerTests {
  let start = ContinuousClock.now

  /// Opens the breaker with `threshold` failed requests at `start`.
  func opened(threshold: Int = 1, coolDown: Duration = .seconds(10), probeDeadline: Duration = .seconds(30))
    -> CircuitBreaker
  {
    var breaker = CircuitBreaker(
      failureThreshold: threshold, coolDown: coolDown, probeDeadline: probeDeadline)
    for _ in 0..<threshold {
      if let ticket = breaker.decide(now: start).ticket { breaker.record(.failure, for: ticket, now: start) }
    }
    return breaker
  }

  @Test func opensAfterTheThresholdAndProbesAfterTheCoolDown() throws {
    var breaker = CircuitBreaker(failureThreshold: 3, coolDown: .seconds(10))
    for _ in 0..<2 {
      let decision = breaker.decide(now: start)
      #expect(!decision.isProbe)
      breaker.record(.failure, for: try #require(decision.ticket), now: start)
    }
    #expect(breaker.state == .closed(consecutiveFailures: 2))
    breaker.record(.failure, for: try #require(breaker.decide(now: start).ticket), now: start)
    #expect(breaker.state == .open(until: start + .seconds(10)))
    #expect(breaker.openings == 1)
    #expect(breaker.decide(now: start + .seconds(9)) == .reject)
    let probe = breaker.decide(now: start + .seconds(10))
    #expect(probe.isProbe)
    // While the probe is out, nobody else goes.
    #expect(breaker.decide(now: start + .seconds(10)) == .reject)
    breaker.record(.success, for: try #require(probe.ticket), now: start + .seconds(10))
    #expect(breaker.state == .closed(consecutiveFailures: 0))
    #expect(!breaker.decide(now: start + .seconds(11)).isProbe)
  }

  @Test func aFailedProbeOpensAgain() throws {
    var breaker = opened(coolDown: .seconds(5))
    let probe = try #require(breaker.decide(now: start + .seconds(5)).ticket)
    breaker.record(.failure, for: probe, now: start + .seconds(5))
    #expect(breaker.state == .open(until: start + .seconds(10)))
    #expect(breaker.openings == 2)
  }

  @Test func aSuccessResetsTheFailureCount() throws {
    var breaker = CircuitBreaker(failureThreshold: 3)
    for outcome in [CircuitBreaker.Outcome.failure, .failure, .success, .failure] {
      breaker.record(outcome, for: try #require(breaker.decide(now: start).ticket), now: start)
    }
    #expect(breaker.state == .closed(consecutiveFailures: 1))
  }

  @Test func aCancelledProbeLetsTheNextCallerProbe() throws {
    var breaker = opened(coolDown: .seconds(10))
    let probe = breaker.decide(now: start + .seconds(10))
    #expect(probe.isProbe)
    breaker.record(.abandoned, for: try #require(probe.ticket), now: start + .seconds(11))
    // The cancellation taught nothing about the node; the cool-down is already served.
    #expect(breaker.state == .open(until: start + .seconds(11)))
    #expect(breaker.openings == 1)
    let next = breaker.decide(now: start + .seconds(11))
    #expect(next.isProbe)
    breaker.record(.success, for: try #require(next.ticket), now: start + .seconds(11))
    #expect(breaker.state == .closed(consecutiveFailures: 0))
  }

  @Test func aTimedOutProbeOpensForAnotherCoolDown() throws {
    // RPCEndpoint reports a timeout as a failure.
    var breaker = opened(coolDown: .seconds(10))
    let probe = try #require(breaker.decide(now: start + .seconds(10)).ticket)
    breaker.record(.failure, for: probe, now: start + .seconds(40))
    #expect(breaker.state == .open(until: start + .seconds(50)))
    #expect(breaker.decide(now: start + .seconds(49)) == .reject)
    #expect(breaker.decide(now: start + .seconds(50)).isProbe)
  }

  @Test func aLostProbeFailsAtItsDeadline() throws {
    var breaker = opened(coolDown: .seconds(10), probeDeadline: .seconds(30))
    let lost = try #require(breaker.decide(now: start + .seconds(10)).ticket)
    #expect(breaker.state == .halfOpen(probe: lost, deadline: start + .seconds(40)))
    #expect(breaker.decide(now: start + .seconds(39)) == .reject)
    // At the deadline the probe counts as failed, and the cool-down runs from there.
    #expect(breaker.decide(now: start + .seconds(40)) == .reject)
    #expect(breaker.state == .open(until: start + .seconds(50)))
    #expect(breaker.openings == 2)
    let next = breaker.decide(now: start + .seconds(50))
    #expect(next.isProbe)
    // Long after, the lost probe's outcome arrives: it is stale and changes nothing.
    breaker.record(.success, for: lost, now: start + .seconds(51))
    #expect(breaker.decide(now: start + .seconds(51)) == .reject)
    breaker.record(.success, for: try #require(next.ticket), now: start + .seconds(52))
    #expect(breaker.state == .closed(consecutiveFailures: 0))
  }

  @Test func aProbeCheckedLongAfterItsDeadlineIsReplacedAtOnce() throws {
    var breaker = opened(coolDown: .seconds(10), probeDeadline: .seconds(30))
    #expect(breaker.decide(now: start + .seconds(10)).isProbe)
    #expect(breaker.decide(now: start + .seconds(100)).isProbe)
  }

  @Test func cancelledRequestsWhileClosedDoNotCount() throws {
    var breaker = CircuitBreaker(failureThreshold: 2)
    for _ in 0..<5 {
      breaker.record(.abandoned, for: try #require(breaker.decide(now: start).ticket), now: start)
    }
    #expect(breaker.state == .closed(consecutiveFailures: 0))
  }

  @Test func onlyTheProbeDecidesWhileHalfOpen() throws {
    var breaker = CircuitBreaker(failureThreshold: 1, coolDown: .seconds(10))
    let early = try #require(breaker.decide(now: start).ticket)
    let failing = try #require(breaker.decide(now: start).ticket)
    breaker.record(.failure, for: failing, now: start)
    let probe = try #require(breaker.decide(now: start + .seconds(10)).ticket)
    // A request let in before the breaker opened answers late: not the probe, ignored.
    breaker.record(.success, for: early, now: start + .seconds(10))
    #expect(breaker.state == .halfOpen(probe: probe, deadline: start + .seconds(55)))
    breaker.record(.success, for: probe, now: start + .seconds(10))
    #expect(breaker.state == .closed(consecutiveFailures: 0))
    // A failure from before the breaker closed is stale too.
    breaker.record(.failure, for: early, now: start + .seconds(11))
    #expect(breaker.state == .closed(consecutiveFailures: 0))
  }
}

/// The endpoint maps request outcomes onto its breaker and keeps the counters.
@Suite struct RPCEndpointTests {
  let start = ContinuousClock.now

  func endpoint() -> RPCEndpoint {
    RPCEndpoint(
      url: "http://node", breaker: CircuitBreaker(failureThreshold: 1, coolDown: .seconds(10)),
      requestsPerSecond: 0)
  }

  @Test func aCancelledProbeDoesNotWedgeTheEndpoint() throws {
    let node = endpoint()
    let first = try #require(node.admit(now: start))
    node.record(.serverError, for: first.ticket, now: start)
    #expect(node.admit(now: start + .seconds(1)) == nil)
    let probe = try #require(node.admit(now: start + .seconds(10)))
    #expect(node.admit(now: start + .seconds(10)) == nil)
    node.record(.cancelled, for: probe.ticket, now: start + .seconds(10))
    let next = try #require(node.admit(now: start + .seconds(10)))
    node.record(.success, for: next.ticket, now: start + .seconds(10))
    #expect(node.stats.breakerOpen == false)
    #expect(node.stats.cancelled == 1)
    #expect(node.stats.requests == 3)
  }

  @Test func aTimedOutProbeReopens() throws {
    let node = endpoint()
    node.record(.transport, for: try #require(node.admit(now: start)).ticket, now: start)
    let probe = try #require(node.admit(now: start + .seconds(10)))
    node.record(.timeout, for: probe.ticket, now: start + .seconds(12))
    #expect(node.admit(now: start + .seconds(21)) == nil)
    #expect(node.admit(now: start + .seconds(22)) != nil)
    #expect(node.stats.timeouts == 1)
    #expect(node.stats.breakerOpenings == 2)
  }
}

extension CircuitBreakerTests {
  @Test func waitIsTheRestOfTheCoolDownWhileOpen() throws {
    var breaker = opened(coolDown: .seconds(10))
    #expect(breaker.wait(now: start + .seconds(3)) == .seconds(7))
    #expect(breaker.wait(now: start + .seconds(12)) == .zero)
    _ = breaker.decide(now: start + .seconds(12))
    #expect(breaker.wait(now: start + .seconds(12)) == .zero)
    #expect(CircuitBreaker().wait(now: start) == .zero)
  }
}
