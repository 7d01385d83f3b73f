import Synchronization

/// Something that happens once (a thread ends), which any number of tasks can wait for.
public final class CompletionSignal: Sendable {
  private struct State {
    var done = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }
  private let state = Mutex(State())

  public init() {}

  public func signal() {
    let waiters = state.withLock { state in
      state.done = true
      defer { state.waiters = [] }
      return state.waiters
    }
    for waiter in waiters { waiter.resume() }
  }

  public var isDone: Bool { state.withLock { $0.done } }

  public func wait() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let done = state.withLock { state in
        if !state.done { state.waiters.append(continuation) }
        return state.done
      }
      if done { continuation.resume() }
    }
  }
}
