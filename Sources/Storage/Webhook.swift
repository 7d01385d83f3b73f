public import Foundation
public import PortfolioCore

/// What a webhook can be sent.
public enum WebhookEventType: String, Sendable, Hashable, CaseIterable, Comparable {
  case balanceChanged = "balance.changed"
  case valueChanged = "value.changed"
  case walletAdded = "wallet.added"
  case walletRemoved = "wallet.removed"
  case alertTriggered = "alert.triggered"

  public static func < (left: Self, right: Self) -> Bool { left.rawValue < right.rawValue }
}

/// Which events of its user's a webhook wants beyond their type: every list empty or nil
/// passes everything.
public struct WebhookFilters: Sendable, Hashable, Codable {
  /// Only these wallets (lower-case UUIDs).
  public var wallets: [String]?
  public var chains: [String]?
  /// Asset symbols (`ETH`) or token addresses, compared without regard to case.
  public var assets: [String]?
  /// Only balance changes worth at least this many US dollars (priced ones; unpriced pass).
  public var minUSD: String?

  public init(
    wallets: [String]? = nil, chains: [String]? = nil, assets: [String]? = nil, minUSD: String? = nil
  ) {
    self.wallets = wallets
    self.chains = chains
    self.assets = assets
    self.minUSD = minUSD
  }

  enum CodingKeys: String, CodingKey {
    case wallets, chains, assets
    case minUSD = "min_usd"
  }
}

/// How events reach an endpoint.
public enum EndpointKind: String, Sendable, Hashable {
  /// POSTed as signed JSON (Standard Webhooks).
  case webhook
  /// Encrypted for a browser and handed to its push service (Web Push).
  case webpush
}

/// A browser's push subscription keys, as `PushSubscription.toJSON()` gives them (base64url).
public struct PushKeys: Sendable, Hashable {
  public var p256dh: String
  public var auth: String

  public init(p256dh: String, auth: String) {
    self.p256dh = p256dh
    self.auth = auth
  }
}

/// An endpoint that is sent its user's events in order, each until it is accepted: a webhook,
/// or a browser's push subscription.
public struct Webhook: Sendable, Hashable {
  public let id: UUID
  public var owner: UserID
  public var kind: EndpointKind
  /// The webhook's URL, or the push subscription's endpoint.
  public var url: String
  /// Web Push only.
  public var pushKeys: PushKeys?
  public var description: String?
  /// Empty: every type.
  public var eventTypes: Set<WebhookEventType>
  public var filters: WebhookFilters
  public var secret: String
  /// The secret before the last rotation, which signs too until `previousUntil`.
  public var previousSecret: String?
  public var previousUntil: Date?
  public var enabled: Bool
  public var disabledReason: String?
  /// The last `seq` delivered or passed over.
  public var cursor: Int64
  /// The event being delivered, and how many attempts it has had.
  public var pendingSeq: Int64?
  public var attempts: Int
  public var nextAttemptAt: Date?
  /// When the current run of failures began.
  public var failingSince: Date?
  public var createdAt: Date
  public var updatedAt: Date

  public init(
    id: UUID = UUID(), owner: UserID, kind: EndpointKind = .webhook, url: String, pushKeys: PushKeys? = nil,
    description: String?, eventTypes: Set<WebhookEventType>, filters: WebhookFilters, secret: String,
    cursor: Int64,
    at time: Date
  ) {
    self.id = id
    self.owner = owner
    self.kind = kind
    self.url = url
    self.pushKeys = pushKeys
    self.description = description
    self.eventTypes = eventTypes
    self.filters = filters
    self.secret = secret
    previousSecret = nil
    previousUntil = nil
    enabled = true
    disabledReason = nil
    self.cursor = cursor
    pendingSeq = nil
    attempts = 0
    nextAttemptAt = nil
    failingSince = nil
    createdAt = time
    updatedAt = time
  }

  /// Whether the webhook wants events of this type.
  public func wants(_ type: WebhookEventType) -> Bool { eventTypes.isEmpty || eventTypes.contains(type) }

  /// The secrets that sign a message sent at `time`: the current one, and the previous one
  /// during its grace period.
  public func signingSecrets(at time: Date) -> [String] {
    guard let previousSecret, let previousUntil, previousUntil > time else { return [secret] }
    return [secret, previousSecret]
  }
}

/// One attempt to deliver one event to one webhook.
public struct WebhookDelivery: Sendable, Hashable {
  public var id: Int64
  public var webhookID: UUID
  public var seq: Int64
  public var eventType: String
  public var messageID: String
  public var attempt: Int
  public var attemptedAt: Date
  /// nil when no answer came.
  public var status: Int?
  public var latencyMilliseconds: Int64
  /// The start of the answer's body.
  public var response: String?
  public var error: String?

  public init(
    id: Int64, webhookID: UUID, seq: Int64, eventType: String, messageID: String, attempt: Int,
    attemptedAt: Date,
    status: Int?, latencyMilliseconds: Int64, response: String?, error: String?
  ) {
    self.id = id
    self.webhookID = webhookID
    self.seq = seq
    self.eventType = eventType
    self.messageID = messageID
    self.attempt = attempt
    self.attemptedAt = attemptedAt
    self.status = status
    self.latencyMilliseconds = latencyMilliseconds
    self.response = response
    self.error = error
  }
}
