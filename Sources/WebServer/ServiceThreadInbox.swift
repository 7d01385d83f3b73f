import Synchronization

/// Work that other threads hand to the libwebsockets service thread.
enum ServiceCommand: Sendable {
  case respond(requestID: UInt64, response: HTTPResponse)
  case sendText(connectionID: UInt64, bytes: [UInt8])
  /// Frames for every follower of their topics, appended to the ring in this order.
  case publish([BroadcastFrame])
  case follow(connectionID: UInt64, topic: String, after: Int64, first: [[UInt8]])
  case unfollow(connectionID: UInt64, topic: String)
  case close(connectionID: UInt64, code: UInt16, reason: String)
  case beginShutdown
  case stop
}

/// The one queue into the service thread. Producers append and then wake the thread with
/// `lws_cancel_service`, the only libwebsockets call that is safe from another thread.
final class ServiceThreadInbox: Sendable {
  private let commands = Mutex<[ServiceCommand]>([])

  /// Appends the command; true when the queue was empty, so the caller must wake the thread.
  /// A non-empty queue already has a wake-up on its way that will drain this command too, which
  /// spares a fan-out to thousands of connections as many system calls.
  func push(_ command: ServiceCommand) -> Bool {
    commands.withLock { pending in
      pending.append(command)
      return pending.count == 1
    }
  }

  func drain() -> [ServiceCommand] {
    commands.withLock { pending in
      let taken = pending
      pending.removeAll(keepingCapacity: true)
      return taken
    }
  }
}

/// What the service thread reports for shutdown and probes; written there, read anywhere.
struct ServiceCounters: Sendable {
  var requestsInFlight = 0
  var webSocketConnections = 0
}
