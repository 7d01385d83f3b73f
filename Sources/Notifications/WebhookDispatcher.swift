public import CurlHTTP
public import Foundation
public import LiveUpdates
public import Logging
import PortfolioCore
public import ServiceLifecycle
public import Storage
import Synchronization

/// Delivers each webhook its user's events, one at a time and in `seq` order, each until the
/// endpoint accepts it (2xx); endpoints are served side by side. Progress is kept in the
/// database with the webhook (its cursor and the attempt under way), so a crash or restart
/// resumes where it stopped, and a repeat carries the same `webhook-id`.
public final class WebhookDispatcher: Service, FeedOutlet, Sendable {
  public struct Settings: Sendable {
    public var retry: RetrySchedule
    public var timeout: Duration
    /// The most of an answer read (and its start kept in the delivery log).
    public var maxResponseBytes: Int
    /// Lets webhooks reach loopback and private addresses (tests, a home network).
    public var allowPrivateTargets: Bool

    public init(
      retry: RetrySchedule = RetrySchedule(), timeout: Duration = .seconds(10),
      maxResponseBytes: Int = 64 << 10,
      allowPrivateTargets: Bool = false
    ) {
      self.retry = retry
      self.timeout = timeout
      self.maxResponseBytes = maxResponseBytes
      self.allowPrivateTargets = allowPrivateTargets
    }
  }

  private let store: WebhookStore
  private let reader: WebhookEventReader
  private let http: HTTPClient
  public let settings: Settings
  private let logger: Logger
  /// Wakes the supervisor: a webhook was added or changed.
  private let changed = WakeSignal()
  /// One signal per webhook served, woken when events are committed.
  private let signals = Mutex<[UUID: WakeSignal]>([:])
  /// Webhooks whose task ended (removed or disabled), for the supervisor to forget.
  private let ended = Mutex<Set<UUID>>([])
  private let counters = Mutex(Counters())

  public struct Counters: Sendable {
    public var delivered = 0
    public var failed = 0
  }

  public init(database: AppDatabase, settings: Settings, logger: Logger) {
    store = WebhookStore(database)
    reader = WebhookEventReader(database: database)
    var options = HTTPClientOptions()
    options.onlyPublicAddresses = !settings.allowPrivateTargets
    options.requestTimeout = settings.timeout
    options.maxResponseBytes = settings.maxResponseBytes
    options.userAgent = "crypto-portfolio-tracker-webhooks"
    http = HTTPClient(options: options)
    self.settings = settings
    self.logger = logger
  }

  public var stats: Counters { counters.withLock { $0 } }

  public func publish(_ frames: [FeedFrame]) {}

  /// Events were committed: every webhook looks for new ones.
  public func eventsCommitted() {
    for signal in signals.withLock({ Array($0.values) }) { signal.signal() }
  }

  /// A webhook was added, changed or removed: it is served (or dropped) at once.
  public func webhooksChanged(_ id: UUID? = nil) {
    changed.signal()
    if let id, let signal = signals.withLock({ $0[id] }) { signal.signal() }
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown { await self.supervise() }
    http.shutdown()
    await http.waitUntilStopped()
  }

  /// Keeps one task per enabled webhook.
  private func supervise() async {
    await withDiscardingTaskGroup { group in
      var serving: Set<UUID> = []
      while !Task.isCancelled {
        // Tasks that ended (a webhook removed or disabled) may start again once re-enabled.
        for id in ended.withLock({ ended in
          defer { ended = [] }
          return ended
        }) {
          serving.remove(id)
          signals.withLock { $0[id] = nil }
        }
        let enabled: [Webhook]
        do {
          enabled = try store.enabled()
        } catch {
          logger.warning("could not read webhooks", metadata: ["error": "\(error)"])
          enabled = []
        }
        for webhook in enabled where !serving.contains(webhook.id) {
          logger.debug("serving webhook", metadata: ["webhook": "\(webhook.id)"])
          serving.insert(webhook.id)
          let signal = WakeSignal()
          signals.withLock { $0[webhook.id] = signal }
          group.addTask { [self] in
            await serve(webhook.id, signal: signal)
            ended.withLock { _ = $0.insert(webhook.id) }
          }
        }
        await changed.wait(until: .now + .seconds(30))
      }
      group.cancelAll()
    }
  }

  private enum Next {
    case again
    case wait(Date)
    case idle
    case stop
  }

  private func serve(_ id: UUID, signal: WakeSignal) async {
    while !Task.isCancelled {
      let next: Next
      do {
        next = try await step(id)
        logger.trace("webhook step", metadata: ["webhook": "\(id)", "next": "\(next)"])
      } catch {
        logger.warning("webhook step failed", metadata: ["webhook": "\(id)", "error": "\(error)"])
        next = .wait(Date().addingTimeInterval(5))
      }
      switch next {
      case .again: continue
      case .stop: return
      case .idle: await signal.wait(until: .now + .seconds(60))
      case .wait(let date):
        await signal.wait(until: .now + .milliseconds(max(0, Int(date.timeIntervalSinceNow * 1000))))
      }
    }
  }

  /// One move of a webhook's delivery: find the next wanted event, or try the pending one.
  private func step(_ id: UUID) async throws -> Next {
    guard var webhook = try store.webhook(id: id), webhook.enabled else { return .stop }
    let now = Date()
    if webhook.pendingSeq == nil {
      let (events, through) = try reader.events(after: webhook.cursor, owner: webhook.owner, limit: 200)
      guard let wanted = events.first(where: { $0.isWanted(by: webhook) }) else {
        guard through > webhook.cursor else { return .idle }
        webhook.cursor = through
        try store.saveProgress(webhook)
        return .again
      }
      webhook.cursor = max(webhook.cursor, wanted.seq - 1)
      webhook.pendingSeq = wanted.seq
      webhook.attempts = 0
      webhook.nextAttemptAt = nil
      try store.saveProgress(webhook)
    }
    guard let seq = webhook.pendingSeq else { return .again }
    if let due = webhook.nextAttemptAt, due > now { return .wait(due) }
    // The event may be gone meanwhile (its wallet removed): pass over it.
    let (events, _) = try reader.events(after: seq - 1, owner: webhook.owner, limit: 1)
    guard let event = events.first, event.seq == seq else {
      webhook.cursor = seq
      webhook.pendingSeq = nil
      try store.saveProgress(webhook)
      return .again
    }
    let outcome = await deliver(event, to: webhook, attempt: webhook.attempts + 1)
    switch outcome {
    case .accepted:
      webhook.cursor = seq
      webhook.pendingSeq = nil
      webhook.attempts = 0
      webhook.nextAttemptAt = nil
      webhook.failingSince = nil
      try store.saveProgress(webhook)
      counters.withLock { $0.delivered += 1 }
      return .again
    case .gone:
      webhook.enabled = false
      webhook.disabledReason = "the endpoint answered 410 Gone"
      try store.saveProgress(webhook)
      logger.notice("webhook disabled: 410 Gone", metadata: ["webhook": "\(id)"])
      return .stop
    case .failed:
      counters.withLock { $0.failed += 1 }
      webhook.attempts += 1
      let since = webhook.failingSince ?? now
      webhook.failingSince = since
      if now.timeIntervalSince(since) >= settings.retry.giveUpAfter.inSeconds {
        webhook.enabled = false
        webhook.disabledReason = "failing since \(since.iso8601): disabled after \(webhook.attempts) attempts"
        try store.saveProgress(webhook)
        logger.notice("webhook disabled: failing too long", metadata: ["webhook": "\(id)"])
        return .stop
      }
      let delay = settings.retry.delay(afterAttempt: webhook.attempts)
      webhook.nextAttemptAt = now.addingTimeInterval(delay.inSeconds)
      try store.saveProgress(webhook)
      return .wait(webhook.nextAttemptAt ?? now)
    }
  }

  enum Outcome {
    case accepted
    case gone
    case failed
  }

  private func deliver(_ event: WebhookEvent, to webhook: Webhook, attempt: Int) async -> Outcome {
    let sentAt = Date()
    let message = WebhookMessage(
      id: WebhookMessage.id(webhook: webhook.id, seq: event.seq), type: event.type.rawValue,
      occurredAt: event.at,
      data: event.data, secrets: webhook.signingSecrets(at: sentAt), sentAt: sentAt)
    let (status, response, error, latency) = await send(message, to: webhook.url)
    try? store.record(
      WebhookDelivery(
        id: 0, webhookID: webhook.id, seq: event.seq, eventType: event.type.rawValue, messageID: message.id,
        attempt: attempt, attemptedAt: sentAt, status: status, latencyMilliseconds: latency,
        response: response,
        error: error))
    guard let status else { return .failed }
    if (200..<300).contains(status) { return .accepted }
    return status == 410 ? .gone : .failed
  }

  /// Sends a message; the status (nil when no answer came), the answer's start, the error and
  /// the time taken.
  func send(_ message: WebhookMessage, to url: String) async -> (
    status: Int?, response: String?, error: String?, milliseconds: Int64
  ) {
    let started = ContinuousClock.now
    func elapsed() -> Int64 { Int64((ContinuousClock.now - started).inSeconds * 1000) }
    do {
      let response = try await http.send(
        HTTPClientRequest(url: url, method: "POST", headers: message.headers, body: message.body))
      let snippet = String(decoding: response.body.prefix(512), as: UTF8.self)
      return (response.status, snippet, nil, elapsed())
    } catch let error as HTTPClientError {
      return (
        nil, nil, error.kind == .privateAddress ? "refused: \(error.message)" : error.message, elapsed()
      )
    } catch {
      return (nil, nil, "\(error)", elapsed())
    }
  }

  /// Sends a `ping` message now, outside the webhook's order, and answers how it went.
  public func ping(_ webhook: Webhook) async -> (
    status: Int?, response: String?, error: String?, milliseconds: Int64
  ) {
    let now = Date()
    let message = WebhookMessage(
      id: "msg_ping_\(UUID().uuidString.lowercased().prefix(12))", type: "ping", occurredAt: now,
      data: ["webhook": .string(webhook.id.uuidString.lowercased())],
      secrets: webhook.signingSecrets(at: now),
      sentAt: now)
    return await send(message, to: webhook.url)
  }
}
