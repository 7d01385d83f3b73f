public import Foundation
public import PortfolioCore
public import Storage

/// What a stream subscription follows: a user's whole portfolio, or one wallet.
public enum StreamTopic: Hashable, Sendable, CustomStringConvertible {
  case portfolio(UserID)
  case wallet(UUID)

  /// A topic as a client names it; `portfolio` is the caller's own.
  public init?(_ text: String, owner: UserID) {
    if text == "portfolio" {
      self = .portfolio(owner)
    } else if text.hasPrefix("wallet:"), let id = UUID(uuidString: String(text.dropFirst(7))) {
      self = .wallet(id)
    } else {
      return nil
    }
  }

  /// A topic from its `ringKey`.
  public init?(ringKey: String) {
    if ringKey.hasPrefix("portfolio:"), let owner = Int64(ringKey.dropFirst(10)) {
      self = .portfolio(UserID(owner))
    } else {
      self.init(ringKey, owner: .first)
      if case .portfolio = self { return nil }
    }
  }

  /// The name clients use, and frames carry: every user's portfolio is `portfolio` to them.
  public var description: String {
    switch self {
    case .portfolio: "portfolio"
    case .wallet(let id): "wallet:\(id.uuidString.lowercased())"
    }
  }

  /// The name in the web server's broadcast ring, unique across users.
  public var ringKey: String {
    switch self {
    case .portfolio(let owner): "portfolio:\(owner)"
    case .wallet: description
    }
  }

  /// Whose events the topic's replays read.
  public var scope: EventScope {
    switch self {
    case .portfolio(let owner): .user(owner)
    case .wallet(let id): .wallet(id)
    }
  }
}
