import CurlHTTP
public import Foundation
public import LiveUpdates
public import Logging
import PortfolioCore
import PushCrypto
public import ServiceLifecycle
public import Storage
import Synchronization

/// Delivers each endpoint (a webhook or a push subscription) its user's events, one at a time
/// and in `seq` order, each until the endpoint accepts it (2xx); endpoints are served side by
/// side. Progress is kept in the database with the endpoint (its cursor and the attempt under
/// way), so a crash or restart resumes where it stopped, and a repeat carries the same id.
public final class WebhookDispatcher: Service, FeedOutlet, Sendable {
  public struct Settings: Sendable {
    public var retry: RetrySchedule
    public var timeout: Duration
    /// The most of an answer read (and its start kept in the delivery log).
    public var maxResponseBytes: Int
    /// Lets webhooks reach loopback and private addresses (tests, a home network), and push
    /// subscriptions plain http endpoints.
    public var allowPrivateTargets: Bool
    /// Whom push services may contact about this server's messages (VAPID `sub`).
    public var vapidSubject: String

    public init(
      retry: RetrySchedule = RetrySchedule(), timeout: Duration = .seconds(10),
      maxResponseBytes: Int = 64 << 10,
      allowPrivateTargets: Bool = false, vapidSubject: String = "mailto:admin@localhost"
    ) {
      self.retry = retry
      self.timeout = timeout
      self.maxResponseBytes = maxResponseBytes
      self.allowPrivateTargets = allowPrivateTargets
      self.vapidSubject = vapidSubject
    }
  }

  let store: WebhookStore
  private let reader: WebhookEventReader
  let http: HTTPClient
  /// Encrypts and signs Web Push messages with the server's VAPID key.
  let push: WebPushRequestBuilder
  /// The VAPID public key browsers subscribe with (base64url of the 65-byte point).
  public let vapidPublicKey: String
  public let settings: Settings
  let logger: Logger
  /// Wakes the supervisor: an endpoint was added or changed.
  private let changed = WakeSignal()
  /// One signal per endpoint served, woken when events are committed.
  private let signals = Mutex<[UUID: WakeSignal]>([:])
  /// Endpoints whose task ended (removed or disabled), for the supervisor to forget.
  private let ended = Mutex<Set<UUID>>([])
  private let counters = Mutex(Counters())
  /// Where a user is told that their webhook was disabled.
  private let feed: ChangeFeed?

  public struct Counters: Sendable {
    public var delivered = 0
    public var failed = 0
  }

  /// Loads the server's VAPID key pair, making it on the first start.
  public init(database: AppDatabase, settings: Settings, feed: ChangeFeed? = nil, logger: Logger) throws {
    self.feed = feed
    store = WebhookStore(database)
    reader = WebhookEventReader(database: database)
    let key = try VAPIDKeyPair(
      privateKey: try store.vapidPrivateKey { VAPIDKeyPair.generate().privateKeyBase64URL })
    vapidPublicKey = key.publicKeyBase64URL
    push = try WebPushRequestBuilder(
      vapidKey: key, subject: settings.vapidSubject, allowsInsecureEndpoints: settings.allowPrivateTargets)
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

  /// Events were committed: every endpoint looks for new ones.
  public func eventsCommitted() {
    for signal in signals.withLock({ Array($0.values) }) { signal.signal() }
  }

  /// An endpoint was added, changed or removed: it is served (or dropped) at once.
  public func webhooksChanged(_ id: UUID? = nil) {
    changed.signal()
    if let id, let signal = signals.withLock({ $0[id] }) { signal.signal() }
  }

  public func run() async throws {
    await cancelWhenGracefulShutdown { await self.supervise() }
    http.shutdown()
    await http.waitUntilStopped()
  }

  /// Keeps one task per enabled endpoint.
  private func supervise() async {
    await withDiscardingTaskGroup { group in
      var serving: Set<UUID> = []
      while !Task.isCancelled {
        // Tasks that ended (an endpoint removed or disabled) may start again once re-enabled.
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

  /// Events read ahead for one endpoint: the wanted ones after `from` through `through`, as
  /// the endpoint's settings were at `version`.
  private struct ReadAhead {
    var from: Int64 = -1
    var through: Int64 = -1
    var version = Date.distantPast
    var events: [WebhookEvent] = []

    /// Whether what was read still answers for the endpoint as it is now.
    func covers(_ webhook: Webhook) -> Bool {
      webhook.updatedAt == version && webhook.cursor >= from && webhook.cursor < through
    }

    /// The next wanted event after `cursor`; nil when none is left through `through`.
    mutating func next(after cursor: Int64) -> WebhookEvent? {
      events.removeAll { $0.seq <= cursor }
      return events.first
    }
  }

  private func serve(_ id: UUID, signal: WakeSignal) async {
    var readAhead = ReadAhead()
    while !Task.isCancelled {
      let next: Next
      do {
        next = try await step(id, readAhead: &readAhead)
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

  /// One move of an endpoint's delivery: find the next wanted event, or try the pending one
  /// again when it is due. Each attempt costs one write: its log entry with the progress.
  private func step(_ id: UUID, readAhead: inout ReadAhead) async throws -> Next {
    guard var webhook = try store.webhook(id: id), webhook.enabled else { return .stop }
    let now = Date()
    let event: WebhookEvent
    if let seq = webhook.pendingSeq {
      if let due = webhook.nextAttemptAt, due > now { return .wait(due) }
      // The event may be gone meanwhile (its wallet removed): pass over it.
      let (events, _) = try reader.events(after: seq - 1, owner: webhook.owner, limit: 1)
      guard let found = events.first, found.seq == seq else {
        passOver(seq, of: &webhook)
        try store.saveProgress(webhook)
        return .again
      }
      event = found
    } else {
      // Events are read 200 at a time and sent one by one from what was read.
      if !readAhead.covers(webhook) {
        let (events, through) = try reader.events(after: webhook.cursor, owner: webhook.owner, limit: 200)
        readAhead = ReadAhead(
          from: webhook.cursor, through: through, version: webhook.updatedAt,
          events: events.filter { $0.isWanted(by: webhook) })
      }
      guard let wanted = readAhead.next(after: webhook.cursor) else {
        guard readAhead.through > webhook.cursor else { return .idle }
        webhook.cursor = readAhead.through
        try store.saveProgress(webhook)
        return .again
      }
      // Not saved until the attempt is: after a crash the event is simply found again.
      webhook.cursor = max(webhook.cursor, wanted.seq - 1)
      webhook.pendingSeq = wanted.seq
      webhook.attempts = 0
      webhook.nextAttemptAt = nil
      event = wanted
    }
    let (outcome, delivery) = await deliver(event, to: webhook, attempt: webhook.attempts + 1)
    DeliveryMetrics.attempted(webhook.kind, outcome)
    switch outcome {
    case .accepted:
      passOver(event.seq, of: &webhook)
      webhook.failingSince = nil
      try store.record(delivery, progress: webhook)
      counters.withLock { $0.delivered += 1 }
      return .again
    case .skip:
      passOver(event.seq, of: &webhook)
      try store.record(delivery, progress: webhook)
      return .again
    case .gone where webhook.kind == .webpush:
      // The browser unsubscribed or the subscription expired: it takes no message again.
      try store.remove(id: id)
      logger.info(
        "push subscription removed: its service says it is gone", metadata: ["subscription": "\(id)"])
      return .stop
    case .gone:
      try store.record(delivery, progress: webhook)
      try await disable(&webhook, because: "the endpoint answered 410 Gone")
      return .stop
    case .failed:
      counters.withLock { $0.failed += 1 }
      webhook.attempts += 1
      let since = webhook.failingSince ?? now
      webhook.failingSince = since
      if now.timeIntervalSince(since) >= settings.retry.giveUpAfter.inSeconds {
        try store.record(delivery, progress: webhook)
        DeliveryMetrics.gaveUp(webhook.kind)
        try await disable(
          &webhook, because: "failing since \(since.iso8601): disabled after \(webhook.attempts) attempts")
        return .stop
      }
      let due = now.addingTimeInterval(settings.retry.delay(afterAttempt: webhook.attempts).inSeconds)
      webhook.nextAttemptAt = due
      try store.record(delivery, progress: webhook)
      return .wait(due)
    }
  }

  /// The event is done with: delivered, or never to be.
  private func passOver(_ seq: Int64, of webhook: inout Webhook) {
    webhook.cursor = seq
    webhook.pendingSeq = nil
    webhook.attempts = 0
    webhook.nextAttemptAt = nil
  }

  private func disable(_ webhook: inout Webhook, because reason: String) async throws {
    webhook.enabled = false
    webhook.disabledReason = reason
    try store.saveProgress(webhook)
    logger.notice("webhook disabled", metadata: ["webhook": "\(webhook.id)", "reason": "\(reason)"])
    // Its owner learns of it where they look: the stream, and their other endpoints.
    try? await feed?.notify(
      webhook.owner, about: webhook.id, title: "Webhook disabled", message: "\(webhook.url): \(reason)",
      data: [
        "kind": "webhook_disabled", "webhook_id": .string(webhook.id.uuidString.lowercased()),
        "url": .string(webhook.url), "reason": .string(reason),
      ])
  }
}
