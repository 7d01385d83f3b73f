import Synchronization

/// Wakes one waiting loop early: `wait` returns at the deadline, on `signal`, or on
/// cancellation, whichever comes first. A signal sent while nobody waits is kept for the next
/// wait.
public final class WakeSignal: Sendable {
  public init() {}

  private struct State {
    var signalled = false
    var waiter: CheckedContinuation<Void, Never>?
    var cancelled = false
  }
  private let state = Mutex(State())

  public func signal() {
    let waiter = state.withLock { state in
      defer { state.waiter = nil }
      if state.waiter == nil { state.signalled = true }
      return state.waiter
    }
    waiter?.resume()
  }

  public func wait(until deadline: ContinuousClock.Instant) async {
    await withTaskGroup(of: Void.self) { group in
      group.addTask { try? await Task.sleep(until: deadline) }
      group.addTask { await self.next() }
      await group.next()
      group.cancelAll()
    }
  }

  private func next() async {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let now = state.withLock { state in
          if state.signalled || state.cancelled {
            state.signalled = false
            state.cancelled = false
            return true
          }
          state.waiter = continuation
          return false
        }
        if now { continuation.resume() }
      }
    } onCancel: {
      let waiter = state.withLock { state in
        defer { state.waiter = nil }
        // Cancelled before it waited: the wait about to begin must not block.
        if state.waiter == nil { state.cancelled = true }
        return state.waiter
      }
      waiter?.resume()
    }
  }
}
