import Foundation
import Synchronization

/// Callers waiting for a wallet's queued read: each takes a ticket before the read is queued,
/// so a read that finishes first still reaches it, then waits on the ticket. Only a read that
/// began after the ticket was taken answers it: one already under way may predate the change
/// the caller wants to see.
final class ReadWaiters: Sendable {
  private struct Slot {
    let wallet: UUID
    /// The number of reads begun when the ticket was taken.
    let after: UInt64
    var result: Result<Void, any Error>?
    var continuation: CheckedContinuation<Void, any Error>?
  }
  private struct State {
    var slots: [UInt64: Slot] = [:]
    var next: UInt64 = 0
    var readsBegun: UInt64 = 0
  }
  private let state = Mutex(State())

  func ticket(for wallet: UUID) -> UInt64 {
    state.withLock { state in
      state.next += 1
      state.slots[state.next] = Slot(wallet: wallet, after: state.readsBegun)
      return state.next
    }
  }

  /// Returns when the ticket's read is done, or throws its error; cancellation gives up the
  /// ticket.
  func wait(_ ticket: UInt64) async throws {
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        let ready = state.withLock { state -> Result<Void, any Error>? in
          guard var slot = state.slots[ticket] else { return .failure(CancellationError()) }
          if let result = slot.result {
            state.slots[ticket] = nil
            return result
          }
          slot.continuation = continuation
          state.slots[ticket] = slot
          return nil
        }
        if let ready { continuation.resume(with: ready) }
      }
    } onCancel: {
      let slot = state.withLock { $0.slots.removeValue(forKey: ticket) }
      slot?.continuation?.resume(throwing: CancellationError())
    }
  }

  /// A read begins; pass its number to `finish`.
  func beginRead() -> UInt64 {
    state.withLock { state in
      state.readsBegun += 1
      return state.readsBegun
    }
  }

  /// Read number `read` of these wallets is done: every ticket for them taken before it began
  /// gets `result`.
  func finish(_ wallets: Set<UUID>, read: UInt64, _ result: Result<Void, any Error>) {
    let ready = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
      var ready: [CheckedContinuation<Void, any Error>] = []
      for (ticket, var slot) in state.slots
      where wallets.contains(slot.wallet) && slot.result == nil && slot.after < read {
        if let continuation = slot.continuation {
          ready.append(continuation)
          state.slots[ticket] = nil
        } else {
          slot.result = result
          state.slots[ticket] = slot
        }
      }
      return ready
    }
    for continuation in ready { continuation.resume(with: result) }
  }
}
