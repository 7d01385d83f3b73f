import ChainClients
import Foundation
import LiveUpdates
import Testing

/// A chain's health from poll outcomes and the clock, with times given, no I/O.
@Suite struct ChainHealthTests {
  /// 10 s to stale, 60 s to down.
  static let policy = ChainHealthPolicy(staleAfter: 10, downAfter: 60)
  static let start = Date(timeIntervalSince1970: 1_800_000_000)
  static let one: [CircuitBreaker.Position] = [.closed]

  static func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

  @Test func aChainNotReadYetIsDegradedThenOkOnItsFirstRead() {
    var health = ChainHealth(policy: Self.policy, startedAt: Self.start)
    #expect(health.status == .degraded && health.reason == .notReadYet && health.since == Self.start)
    var changed = health.succeeded(at: Self.at(1), breakers: Self.one)
    #expect(changed)
    #expect(health.status == .ok && health.reason == nil && health.since == Self.at(1))
    #expect(health.lastGoodRead == Self.at(1))
    // Another good read changes nothing.
    changed = health.succeeded(at: Self.at(2), breakers: Self.one)
    #expect(!changed)
    #expect(health.since == Self.at(1))
  }

  @Test func okThenDegradedThenDownThenOk() {
    var health = ChainHealth(policy: Self.policy, startedAt: Self.start)
    health.succeeded(at: Self.at(0), breakers: Self.one)

    var changed = health.failed("timeout", at: Self.at(5), breakers: Self.one)
    #expect(changed)
    #expect(health.status == .degraded && health.reason == .failing && health.since == Self.at(5))
    #expect(
      health.consecutiveFailures == 1 && health.lastError == "timeout" && health.lastErrorAt == Self.at(5))
    changed = health.failed("timeout", at: Self.at(20), breakers: Self.one)
    #expect(!changed)
    #expect(health.consecutiveFailures == 2)

    // No good read for the down interval: down, though the breaker stayed closed.
    changed = health.evaluate(at: Self.at(60), breakers: Self.one)
    #expect(changed)
    #expect(health.status == .down && health.reason == .noGoodRead && health.since == Self.at(60))

    changed = health.succeeded(at: Self.at(70), breakers: Self.one)
    #expect(changed)
    #expect(health.status == .ok && health.since == Self.at(70) && health.consecutiveFailures == 0)
    // The last error is kept for people to read, though the chain is well again.
    #expect(health.lastError == "timeout")
  }

  @Test func everyBreakerOpenIsDownAtOnce() {
    var health = ChainHealth(policy: Self.policy, startedAt: Self.start)
    health.succeeded(at: Self.at(0), breakers: [.closed, .closed])
    let changed = health.failed("refused", at: Self.at(1), breakers: [.open, .halfOpen])
    #expect(changed)
    #expect(health.status == .down && health.reason == .noEndpointAvailable)
  }

  @Test func downHoldsUntilAGoodReadSoABreakerProbeDoesNotFlap() {
    var health = ChainHealth(policy: Self.policy, startedAt: Self.start)
    health.succeeded(at: Self.at(0), breakers: Self.one)
    health.failed("refused", at: Self.at(1), breakers: [.open])
    #expect(health.status == .down)
    // The cool-down passed and the probe is in flight, or the breaker even closed on a manual
    // read that failed for another reason: still down until a poll reads the chain.
    var changed = health.evaluate(at: Self.at(11), breakers: [.halfOpen])
    #expect(!changed)
    changed = health.failed("rpc error", at: Self.at(12), breakers: Self.one)
    #expect(!changed)
    changed = health.evaluate(at: Self.at(13), breakers: Self.one)
    #expect(!changed)
    #expect(health.status == .down && health.since == Self.at(1))
    changed = health.succeeded(at: Self.at(14), breakers: Self.one)
    #expect(changed)
    #expect(health.status == .ok)
  }

  @Test func oneOfSeveralEndpointsShutOutIsDegraded() {
    var health = ChainHealth(policy: Self.policy, startedAt: Self.start)
    health.succeeded(at: Self.at(0), breakers: [.closed, .closed])
    var changed = health.succeeded(at: Self.at(1), breakers: [.closed, .open])
    #expect(changed)
    #expect(health.status == .degraded && health.reason == .endpointUnavailable)
    changed = health.evaluate(at: Self.at(2), breakers: [.closed, .closed])
    #expect(changed)
    #expect(health.status == .ok)
  }

  @Test func aReadThatStopsComingMakesItStaleThenDown() {
    var health = ChainHealth(policy: Self.policy, startedAt: Self.start)
    health.succeeded(at: Self.at(0), breakers: Self.one)
    var changed = health.evaluate(at: Self.at(9.9), breakers: Self.one)
    #expect(!changed)
    changed = health.evaluate(at: Self.at(10), breakers: Self.one)
    #expect(changed)
    #expect(health.status == .degraded && health.reason == .stale && health.since == Self.at(10))
    changed = health.evaluate(at: Self.at(60), breakers: Self.one)
    #expect(changed)
    #expect(health.status == .down && health.reason == .noGoodRead)
  }

  @Test func aChainNeverReadIsDownAfterTheDownInterval() {
    var health = ChainHealth(policy: Self.policy, startedAt: Self.start)
    var changed = health.evaluate(at: Self.at(59), breakers: Self.one)
    #expect(!changed)
    changed = health.evaluate(at: Self.at(60), breakers: Self.one)
    #expect(changed)
    #expect(health.status == .down && health.reason == .noGoodRead && health.lastGoodRead == nil)
  }

  @Test func flappingReportsEveryChangeOnce() {
    var health = ChainHealth(policy: Self.policy, startedAt: Self.start)
    var seen: [ChainHealthStatus] = []
    for second in 0..<20 {
      let time = Self.at(TimeInterval(second))
      let changed =
        second.isMultiple(of: 2)
        ? health.succeeded(at: time, breakers: Self.one) : health.failed("500", at: time, breakers: Self.one)
      if changed { seen.append(health.status) }
    }
    #expect(seen == Array(repeating: [ChainHealthStatus.ok, .degraded], count: 10).flatMap { $0 })
  }

  @Test func thePolicyFollowsThePollInterval() {
    #expect(ChainHealthPolicy(pollInterval: 2) == ChainHealthPolicy(staleAfter: 30, downAfter: 120))
    #expect(ChainHealthPolicy(pollInterval: 12) == ChainHealthPolicy(staleAfter: 36, downAfter: 120))
    #expect(ChainHealthPolicy(pollInterval: 60) == ChainHealthPolicy(staleAfter: 180, downAfter: 600))
  }
}
