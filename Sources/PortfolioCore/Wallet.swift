public import Foundation

/// A tracked wallet: one user's address on one chain, with an optional label.
public struct Wallet: Sendable, Hashable, Identifiable {
  public let id: UUID
  /// The user who tracks it; another user tracking the same address has a wallet of their own.
  public var owner: UserID
  public var chain: ChainName
  /// Canonical form: EIP-55 for EVM chains, base58 for Solana.
  public var address: String
  public var label: String?
  public var createdAt: Date
  public var updatedAt: Date

  public init(
    id: UUID = UUID(), owner: UserID = .first, chain: ChainName, address: String, label: String?,
    createdAt: Date, updatedAt: Date
  ) {
    self.id = id
    self.owner = owner
    self.chain = chain
    self.address = address
    self.label = label
    self.createdAt = createdAt
    self.updatedAt = updatedAt
  }
}

/// Time as SQLite keeps it: integer milliseconds since 1970, UTC.
extension Date {
  public var millisecondsSince1970: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

  public init(millisecondsSince1970 milliseconds: Int64) {
    self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
  }
}

extension Date {
  /// `2026-11-25T04:17:54.123Z`, from whole milliseconds so it matches what SQLite keeps.
  public var iso8601: String { ISO8601Text.milliseconds(millisecondsSince1970) }

  /// Parses ISO-8601 with or without fractional seconds, or whole seconds since 1970.
  public init?(iso8601 text: String) {
    if let seconds = Double(text), seconds.isFinite {
      self.init(timeIntervalSince1970: seconds)
      return
    }
    if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) {
      self = date
    } else if let date = try? Date.ISO8601FormatStyle().parse(text) {
      self = date
    } else {
      return nil
    }
  }
}
