import Synchronization

/// Work that other threads hand to the libwebsockets service thread.
enum ServiceCommand: Sendable {
  case respond(requestID: UInt64, response: HTTPResponse)
  case sendText(connectionID: UInt64, bytes: [UInt8], stamp: ContinuousClock.Instant?)
  case close(connectionID: UInt64, code: UInt16, reason: String)
  case beginShutdown
  case stop
}

/// The one queue into the service thread. Producers append and then wake the thread with
/// `lws_cancel_service`, the only libwebsockets call that is safe from another thread.
final class ServiceThreadInbox: Sendable {
  private let commands = Mutex<[ServiceCommand]>([])

  func push(_ command: ServiceCommand) {
    commands.withLock { $0.append(command) }
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
