/// Answers HTTP requests. Runs in Swift concurrency, never on the libwebsockets thread.
public protocol HTTPResponder: Sendable {
  func respond(to request: HTTPRequest) async -> HTTPResponse
  /// Called on the libwebsockets thread first: an answer already held in memory, found without
  /// blocking (no database, no network, no waiting on a lock held for long), or nil to have
  /// `respond` answer. Spares the hops between threads that dominate a cheap request's cost.
  func respondFromMemory(to request: HTTPRequest) -> HTTPResponse?
  /// The media types a POST, PUT, PATCH or DELETE body may have on this request's path; a body
  /// of another type, or of none, is refused with 415 before it is read. nil takes any body.
  /// Called on the libwebsockets thread with the headers only: answer from the path alone.
  func acceptedBodyTypes(for request: HTTPRequest) -> [String]?
}

extension HTTPResponder {
  public func respondFromMemory(to request: HTTPRequest) -> HTTPResponse? { nil }
  public func acceptedBodyTypes(for request: HTTPRequest) -> [String]? { nil }
}

/// What a WebSocket connection delivers to its handler, in order.
public enum WebSocketEvent: Sendable, Equatable {
  case text(String)
  /// The ring dropped frames of a followed topic before they were sent: the topic is no longer
  /// followed, and the handler starts it again from what was sent, through `after`.
  case behind(topic: String, after: Int64)
  /// The topic's last frame went out (a removed wallet); it is no longer followed.
  case ended(topic: String)
  /// The peer went away or the server closed the connection; no event follows.
  case closed
}

/// Serves WebSocket connections: `open` is called once per connection, on the service thread
/// (so it must not block), and the handler it returns gets that connection's events.
public protocol WebSocketResponder: Sendable {
  func open(_ connection: WebSocketConnection) -> any WebSocketHandler
}

/// One connection's handler. `handle` gets the events one at a time and in order, off the
/// service thread, in a task that exists only while events wait: an idle connection holds no
/// task, which is most of what a connection would otherwise cost. `.closed` comes last.
public protocol WebSocketHandler: Sendable {
  func handle(_ event: WebSocketEvent) async
}

/// Told of every HTTP response written, the server's own refusals included, for metrics.
/// Called on the service thread: it must not block.
public protocol RequestObserver: Sendable {
  /// `route` is the template that answered, or nil when none did (an unknown path, a refusal).
  func completed(method: HTTPMethod?, route: String?, status: Int, duration: Duration)
}
