import Synchronization

/// A connection's events on their way to its handler. The first event that finds no delivery
/// under way starts one; it hands over events until none waits and then ends, so a connection
/// holds a task only while it has something to handle.
final class WebSocketMailbox: Sendable {
  enum Posted {
    /// Queued behind a delivery under way.
    case queued
    /// Queued, and nothing delivers it: the caller starts `deliver()`.
    case startDelivery
    /// Refused: too many messages wait already.
    case full
  }

  private struct State {
    var waiting: [WebSocketEvent] = []
    var delivering = false
  }

  private let state = Mutex(State())
  private let handler: any WebSocketHandler

  init(handler: any WebSocketHandler) {
    self.handler = handler
  }

  /// Queues an event. A client's text counts against `limit`; the server's own events (behind,
  /// ended, closed) are always taken, or the handler would never learn of them.
  func post(_ event: WebSocketEvent, limit: Int) -> Posted {
    state.withLock { state in
      if case .text = event, state.waiting.count >= limit { return .full }
      state.waiting.append(event)
      guard !state.delivering else { return .queued }
      state.delivering = true
      return .startDelivery
    }
  }

  /// Hands the waiting events to the handler in order, including those posted meanwhile.
  func deliver() async {
    while let event = next() {
      await handler.handle(event)
    }
  }

  private func next() -> WebSocketEvent? {
    state.withLock { state in
      guard !state.waiting.isEmpty else {
        // Idle: give the queue's storage back too.
        state.waiting = []
        state.delivering = false
        return nil
      }
      return state.waiting.removeFirst()
    }
  }
}
