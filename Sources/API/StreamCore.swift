import Foundation
import LiveUpdates
import Logging
import PortfolioCore
import Storage
import Synchronization
import WebServer

/// One stream connection's state, changed by its events one at a time.
struct StreamSessionState {
  var topics: Set<StreamTopic> = []
  /// Follows `chains`: every chain's health.
  var chains = false
  /// Who the connection acts for; nil until it has authenticated.
  var principal: Principal?
  /// Counted in its user's connections.
  var admitted = false
  /// A close was sent: further messages are not answered.
  var closing = false
  /// The connection, once registered under its token.
  var connection: WebSocketConnection?

  /// Follows at least one topic.
  var follows: Bool { chains || !topics.isEmpty }

  var topicCount: Int { topics.count + (chains ? 1 : 0) }
}

/// Limits on stream connections.
public struct StreamLimits: Sendable {
  public var connectionsPerUser: Int
  public var topicsPerConnection: Int
  /// How long a connection may wait before authenticating where tokens are asked for.
  public var authTimeout: Duration

  public init(
    connectionsPerUser: Int = 20, topicsPerConnection: Int = 1000, authTimeout: Duration = .seconds(10)
  ) {
    self.connectionsPerUser = connectionsPerUser
    self.topicsPerConnection = topicsPerConnection
    self.authTimeout = authTimeout
  }
}

/// What every stream connection shares, held once: sessions keep a reference, not a copy.
final class StreamCore: Sendable {
  private let wallets: WalletStore
  private let start: StreamStart
  private let feed: ChangeFeed
  /// Sends `chain_status` frames to connections that follow `chains`.
  let health: ChainHealthBoard
  private let authenticator: Authenticator
  let limits: StreamLimits
  private let logger: Logger
  private let connectionsByUser = Mutex<[UserID: Int]>([:])
  /// Open connections by the access token they authenticated with, so revoking or expiring a
  /// token ends them too.
  private let connectionsByToken = Mutex<[Int64: [UInt64: WebSocketConnection]]>([:])
  private let tokens: AccessTokenStore
  let subscribers = SubscriberCount()

  /// Close codes of the stream's own: not authenticated (as HTTP's 401), and too many
  /// connections for one user (as HTTP's 429).
  static let unauthenticated: UInt16 = 4401
  static let tooManyConnections: UInt16 = 4429

  init(
    database: AppDatabase, feed: ChangeFeed, health: ChainHealthBoard, authenticator: Authenticator,
    limits: StreamLimits, logger: Logger
  ) {
    self.wallets = WalletStore(database)
    self.start = StreamStart(database: database)
    self.feed = feed
    self.health = health
    self.authenticator = authenticator
    self.limits = limits
    self.logger = logger
    tokens = AccessTokenStore(database)
  }

  /// Closes, with 4401, the connections whose token was revoked or expired, or whose user was
  /// removed, since they authenticated. Answers how many were closed.
  @discardableResult
  func closeConnectionsOfEndedTokens(at time: Date = Date()) throws -> Int {
    let held = connectionsByToken.withLock { Set($0.keys) }
    guard !held.isEmpty else { return 0 }
    let ended = held.subtracting(try tokens.stillActive(held, at: time))
    var closed = 0
    for id in ended {
      let connections = connectionsByToken.withLock { $0.removeValue(forKey: id) } ?? [:]
      for connection in connections.values {
        connection.close(code: Self.unauthenticated, reason: "token revoked or expired")
        closed += 1
      }
    }
    return closed
  }

  /// A new connection: authenticated by its upgrade's `Authorization` header when it had one.
  /// Answers whether it must still authenticate within `limits.authTimeout`.
  func open(_ connection: WebSocketConnection, state: inout StreamSessionState) -> Bool {
    if let header = connection.authorization {
      switch authenticator.principal(authorization: header) {
      case .success(let principal): admit(principal, connection: connection, state: &state)
      case .failure(let failure): refuse(failure, connection: connection, state: &state)
      }
      return false
    }
    return authenticator.required
  }

  /// The authentication deadline passed: a connection still without a principal is closed.
  func authDeadlinePassed(_ connection: WebSocketConnection, state: inout StreamSessionState) {
    guard state.principal == nil, !state.closing else { return }
    state.closing = true
    let seconds = limits.authTimeout.inSeconds
    connection.close(code: Self.unauthenticated, reason: "no auth message within \(Int(seconds)) s")
  }

  /// Handles one event; false when the connection is gone.
  func receive(_ event: WebSocketEvent, on connection: WebSocketConnection, state: inout StreamSessionState)
    -> Bool
  {
    let before = state.follows
    defer { if before != state.follows { subscribers.add(state.follows ? 1 : -1) } }
    switch event {
    case .text(let text):
      guard !state.closing else { break }
      do {
        try handle(try StreamMessage.parse(text), connection: connection, state: &state)
      } catch {
        connection.send(bytes: StreamFrames.error(code: error.code, message: error.message))
      }
    case .behind(let name, let after):
      // The ring moved on before this client read: continue the topic from the log.
      guard let topic = StreamTopic(ringKey: name), state.topics.contains(topic) else { break }
      logger.debug(
        "subscriber behind the ring; continuing from the log",
        metadata: ["peer": "\(connection.peer)", "topic": "\(name)", "after": "\(after)"])
      do {
        try begin(topic, since: after, epoch: nil, connection: connection)
      } catch {
        state.topics.remove(topic)
        feed.release(topic)
        connection.send(bytes: StreamFrames.error(code: error.code, message: error.message))
      }
    case .ended(let name):
      if let topic = StreamTopic(ringKey: name), state.topics.remove(topic) != nil { feed.release(topic) }
    case .closed:
      return false
    }
    return true
  }

  /// The connection is gone: its topics and its place among its user's connections are freed.
  func end(_ state: inout StreamSessionState, connection: WebSocketConnection) {
    for topic in state.topics { feed.release(topic) }
    if state.chains { health.unfollow(id: connection.id) }
    if state.follows { subscribers.add(-1) }
    state.chains = false
    state.topics = []
    if state.admitted, let user = state.principal?.user {
      connectionsByUser.withLock { counts in
        let count = (counts[user] ?? 1) - 1
        counts[user] = count > 0 ? count : nil
      }
      state.admitted = false
    }
    if let token = state.principal?.tokenID, let connection = state.connection {
      connectionsByToken.withLock { byToken in
        byToken[token]?[connection.id] = nil
        if byToken[token]?.isEmpty == true { byToken[token] = nil }
      }
    }
  }

  private func handle(
    _ message: StreamMessage, connection: WebSocketConnection, state: inout StreamSessionState
  ) throws(StreamMessageError) {
    if case .auth(let token) = message {
      guard state.principal == nil else {
        throw StreamMessageError(
          code: "already_authenticated", message: "This connection has authenticated already.")
      }
      switch authenticator.principal(token: token) {
      case .success(let principal):
        guard admit(principal, connection: connection, state: &state) else { return }
        connection.send(
          bytes: StreamFrames.authenticated(user: principal.userName, scope: principal.scope.rawValue))
      case .failure(let failure):
        refuse(failure, connection: connection, state: &state)
      }
      return
    }
    guard let principal = try principal(connection: connection, state: &state) else { return }
    switch message {
    case .auth:
      return
    case .subscribe(StreamMessage.chainsTopic, _, _):
      try subscribeChains(connection: connection, state: &state)
    case .unsubscribe(StreamMessage.chainsTopic):
      try unsubscribeChains(connection: connection, state: &state)
    case .subscribe(let name, let since, let epoch):
      guard let topic = StreamTopic(name, owner: principal.user) else { return }
      try subscribe(
        topic, since: since, epoch: epoch, owner: principal.user, connection: connection, state: &state)
    case .unsubscribe(let name):
      guard let topic = StreamTopic(name, owner: principal.user), state.topics.remove(topic) != nil else {
        throw StreamMessageError(code: "not_subscribed", message: "Not subscribed to '\(name)'.")
      }
      connection.unfollow(topic.ringKey)
      feed.release(topic)
      connection.send(bytes: StreamFrames.acknowledgement("unsubscribed", topic: topic))
    }
  }

  /// Who the connection acts for. Where tokens are not asked for, a connection that has not
  /// authenticated acts for the first user; where they are, it is told to authenticate first.
  private func principal(connection: WebSocketConnection, state: inout StreamSessionState)
    throws(StreamMessageError) -> Principal?
  {
    if let principal = state.principal { return principal }
    guard !authenticator.required else {
      throw StreamMessageError(
        code: "auth_required", message: #"Authenticate first: send {"op":"auth","token":"<access token>"}."#)
    }
    switch authenticator.principal(authorization: nil) {
    case .success(let principal):
      return admit(principal, connection: connection, state: &state) ? principal : nil
    case .failure(let failure):
      refuse(failure, connection: connection, state: &state)
      return nil
    }
  }

  private func subscribe(
    _ topic: StreamTopic, since: Int64?, epoch: String?, owner: UserID, connection: WebSocketConnection,
    state: inout StreamSessionState
  ) throws(StreamMessageError) {
    // Subscribing twice would send the snapshot twice; one client repeating it must not
    // multiply the server's work and memory.
    guard !state.topics.contains(topic) else {
      throw StreamMessageError(
        code: "already_subscribed",
        message: "Already subscribed to '\(topic)'; unsubscribe first to start it over.")
    }
    if case .wallet(let id) = topic {
      let wallet: Wallet?
      do { wallet = try wallets.wallet(id: id, owner: owner) } catch {
        logger.error("stream start failed", metadata: ["topic": "\(topic)", "error": "\(error)"])
        throw StreamMessageError(code: "unavailable", message: "The wallet could not be read; try again.")
      }
      // Another user's wallet is as unknown as a missing one.
      guard wallet != nil else {
        throw StreamMessageError(
          code: "unknown_wallet", message: "No wallet with id '\(id.uuidString.lowercased())'.")
      }
    }
    try checkTopicLimit(state)
    // Frames for the topic are made from here on, so none committed after the first frames'
    // read can be missing from the ring.
    feed.retain(topic)
    do {
      try begin(topic, since: since, epoch: epoch, connection: connection)
    } catch {
      feed.release(topic)
      throw error
    }
    state.topics.insert(topic)
  }

  /// Counts the connection among its user's, or closes it with 4429 when they have too many.
  @discardableResult
  private func admit(_ principal: Principal, connection: WebSocketConnection, state: inout StreamSessionState)
    -> Bool
  {
    let limit = limits.connectionsPerUser
    let admitted = connectionsByUser.withLock { counts in
      guard counts[principal.user, default: 0] < limit else { return false }
      counts[principal.user, default: 0] += 1
      return true
    }
    guard admitted else {
      state.closing = true
      connection.close(code: Self.tooManyConnections, reason: "at most \(limit) stream connections per user")
      return false
    }
    state.principal = principal
    state.admitted = true
    if let token = principal.tokenID {
      state.connection = connection
      connectionsByToken.withLock { $0[token, default: [:]][connection.id] = connection }
    }
    return true
  }

  private func refuse(
    _ failure: AuthFailure, connection: WebSocketConnection, state: inout StreamSessionState
  ) {
    state.closing = true
    let reason =
      switch failure {
      case .missing: "an access token is required"
      case .notBearer: "the Authorization header must be Bearer <token>"
      case .refused(let refusal): "token refused: " + refusal.shortDescription
      case .noUsers: "the server has no users"
      }
    connection.close(code: Self.unauthenticated, reason: reason)
  }

  /// Reads the topic's first frames (a snapshot, or a replay after `since`) and has the
  /// connection follow the topic from where they end.
  private func begin(_ topic: StreamTopic, since: Int64?, epoch: String?, connection: WebSocketConnection)
    throws(StreamMessageError)
  {
    do {
      let (frames, through) = try start.frames(topic: topic, since: since, epoch: epoch)
      connection.follow(topic.ringKey, after: through, first: frames)
    } catch {
      logger.error("stream start failed", metadata: ["topic": "\(topic)", "error": "\(error)"])
      throw StreamMessageError(code: "unavailable", message: "The snapshot could not be read; try again.")
    }
  }
}

extension TokenRefusal {
  /// Few words, for a close frame's reason (at most 123 bytes).
  var shortDescription: String {
    switch self {
    case .malformed: "not a token of this server"
    case .unknown: "unknown token"
    case .expired: "token expired"
    case .revoked: "token revoked"
    }
  }
}
