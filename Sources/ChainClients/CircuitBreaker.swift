/// Stops sending to an endpoint that keeps failing, then lets one probe through after a
/// cool-down. A value type driven by the caller's clock, so it is tested without I/O.
///
/// Every request it lets through carries a `Ticket`, and the caller reports that ticket's
/// outcome once. Only the probe's ticket can end the half-open state, and a probe whose
/// outcome never comes (a lost task) counts as failed at its deadline, so the breaker cannot
/// stay half-open.
public struct CircuitBreaker: Sendable, Equatable {
  public enum State: Sendable, Equatable {
    case closed(consecutiveFailures: Int)
    case open(until: ContinuousClock.Instant)
    /// One probe is in flight; everyone else waits for its outcome, or for `deadline`.
    case halfOpen(probe: Ticket, deadline: ContinuousClock.Instant)
  }

  /// Names one admitted request, so its outcome is matched to the state it was let in under.
  public struct Ticket: Sendable, Hashable, Comparable {
    let number: UInt64

    public static func < (lhs: Ticket, rhs: Ticket) -> Bool { lhs.number < rhs.number }
  }

  /// The state without its times and tickets, for health reports.
  public enum Position: String, Sendable, Equatable {
    case closed
    case open
    case halfOpen = "half_open"
  }

  public enum Decision: Sendable, Equatable {
    case allow(Ticket)
    /// Send one request to test the endpoint.
    case probe(Ticket)
    case reject
  }

  public enum Outcome: Sendable, Equatable {
    case success
    /// The endpoint failed or timed out.
    case failure
    /// The caller went away (cancelled) before an answer: says nothing about the endpoint.
    case abandoned
  }

  public private(set) var state: State = .closed(consecutiveFailures: 0)
  public let failureThreshold: Int
  public let coolDown: Duration
  /// How long a probe may stay unanswered before it counts as failed.
  public let probeDeadline: Duration
  /// Times the breaker opened, for metrics.
  public private(set) var openings = 0
  private var nextTicket: UInt64 = 0
  /// Tickets before this one were issued before the breaker last closed; their outcomes are stale.
  private var closedSince = Ticket(number: 0)

  public init(
    failureThreshold: Int = 5, coolDown: Duration = .seconds(10), probeDeadline: Duration = .seconds(45)
  ) {
    self.failureThreshold = failureThreshold
    self.coolDown = coolDown
    self.probeDeadline = probeDeadline
  }

  public mutating func decide(now: ContinuousClock.Instant) -> Decision {
    switch state {
    case .closed:
      return .allow(issue())
    case .halfOpen(_, let deadline) where now >= deadline:
      // The probe's outcome was lost: a failure at its deadline, then the usual cool-down.
      open(until: deadline + coolDown)
      return decide(now: now)
    case .open(let until) where now >= until:
      let ticket = issue()
      state = .halfOpen(probe: ticket, deadline: now + probeDeadline)
      return .probe(ticket)
    case .open, .halfOpen:
      return .reject
    }
  }

  /// Reports what became of an admitted request; call it once per ticket.
  public mutating func record(_ outcome: Outcome, for ticket: Ticket, now: ContinuousClock.Instant) {
    switch (state, outcome) {
    case (.halfOpen(let probe, _), .success) where ticket == probe:
      close()
    case (.halfOpen(let probe, _), .failure) where ticket == probe:
      open(until: now + coolDown)
    case (.halfOpen(let probe, _), .abandoned) where ticket == probe:
      // The cool-down is served and nothing was learned: the next caller probes at once.
      state = .open(until: now)
    case (.closed, .success) where ticket >= closedSince:
      state = .closed(consecutiveFailures: 0)
    case (.closed(let failures), .failure) where ticket >= closedSince:
      if failures + 1 < failureThreshold {
        state = .closed(consecutiveFailures: failures + 1)
      } else {
        open(until: now + coolDown)
      }
    case (.closed, _), (.open, _), (.halfOpen, _):
      // Abandoned requests, outcomes from before the last transition, and requests other
      // than the probe while half-open change nothing.
      break
    }
  }

  /// How long until `decide` would let a request through: the rest of the cool-down while
  /// open, zero otherwise (a probe in flight answers soon, or its deadline frees the slot).
  public func wait(now: ContinuousClock.Instant) -> Duration {
    guard case .open(let until) = state, until > now else { return .zero }
    return until - now
  }

  public var position: Position {
    switch state {
    case .closed: .closed
    case .open: .open
    case .halfOpen: .halfOpen
    }
  }

  /// Whether the endpoint is being kept out of rotation (open, or waiting on a probe).
  public var isOpen: Bool {
    if case .closed = state { return false }
    return true
  }

  private mutating func issue() -> Ticket {
    nextTicket += 1
    return Ticket(number: nextTicket)
  }

  private mutating func open(until: ContinuousClock.Instant) {
    state = .open(until: until)
    openings += 1
  }

  private mutating func close() {
    state = .closed(consecutiveFailures: 0)
    closedSince = Ticket(number: nextTicket + 1)
  }
}
