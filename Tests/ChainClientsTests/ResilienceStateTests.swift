import Testing

@testable import ChainClients

@Suite struct RetryPolicyTests {
  let policy = RetryPolicy(
    maxAttempts: 4, baseDelay: .milliseconds(100), maxDelay: .seconds(1), maxRetryAfter: .seconds(30))

  @Test func fullJitterStaysUnderTheExponentialCeiling() {
    #expect(policy.delay(beforeRetry: 0, retryAfter: nil, unitRandom: 0.999) ?? .zero <= .milliseconds(100))
    #expect(policy.delay(beforeRetry: 1, retryAfter: nil, unitRandom: 0.5) == .milliseconds(100))
    #expect(policy.delay(beforeRetry: 2, retryAfter: nil, unitRandom: 1) == .milliseconds(400))
    #expect(policy.delay(beforeRetry: 0, retryAfter: nil, unitRandom: 0) == .zero)
  }

  @Test func theCeilingIsCapped() {
    let long = RetryPolicy(maxAttempts: 40, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
    #expect(long.delay(beforeRetry: 20, retryAfter: nil, unitRandom: 1) == .seconds(1))
  }

  @Test func attemptsRunOut() {
    #expect(policy.delay(beforeRetry: 2, retryAfter: nil, unitRandom: 0.5) != nil)
    #expect(policy.delay(beforeRetry: 3, retryAfter: nil, unitRandom: 0.5) == nil)
  }

  @Test func retryAfterIsAFloorAndTooLongMeansGiveUp() {
    #expect(policy.delay(beforeRetry: 0, retryAfter: .seconds(2), unitRandom: 0.5) == .seconds(2))
    #expect(policy.delay(beforeRetry: 0, retryAfter: .seconds(31), unitRandom: 0.5) == nil)
  }
}

@Suite struct TokenBucketTests {
  let start = ContinuousClock.now

  @Test func burstsUpToCapacityThenPacesAtTheRate() {
    var bucket = TokenBucket(rate: 10, capacity: 2, now: start)
    #expect(bucket.take(now: start) == .zero)
    #expect(bucket.take(now: start) == .zero)
    #expect(bucket.take(now: start) == .milliseconds(100))
    #expect(bucket.take(now: start) == .milliseconds(200))
    // After a second the reservations are paid off and the bucket has refilled to its cap.
    #expect(bucket.take(now: start + .seconds(2)) == .zero)
  }

  @Test func rateZeroIsUnlimited() {
    var bucket = TokenBucket(rate: 0, now: start)
    for _ in 0..<1000 { #expect(bucket.take(now: start) == .zero) }
  }
}
