import Foundation
public import PortfolioCore

/// How a chain's health looks in JSON: the stream's `chain_status` frame, and the same fields
/// in `/api/v1/health`.
public enum ChainHealthFrames {
  /// `{"type":"chain_status","topic":"chains","chain":…,"status":…,…}`: ephemeral, so it has
  /// no `seq`.
  public static func chainStatus(_ chain: ChainName, _ health: ChainHealth) -> [UInt8] {
    var frame = fields(health)
    frame["type"] = "chain_status"
    frame["topic"] = "chains"
    frame["chain"] = .string(chain.rawValue)
    return JSONValue.object(frame).jsonBytes
  }

  /// `status`, `reason`, `since`, `last_good_read`, `consecutive_failures`, `last_error` and
  /// `last_error_at`.
  public static func fields(_ health: ChainHealth) -> [String: JSONValue] {
    [
      "status": .string(health.status.rawValue),
      "reason": health.reason.map { .string($0.rawValue) } ?? .null,
      "since": .string(health.since.iso8601),
      "last_good_read": health.lastGoodRead.map { .string($0.iso8601) } ?? .null,
      "consecutive_failures": .integer(Int64(health.consecutiveFailures)),
      "last_error": health.lastError.map(JSONValue.string) ?? .null,
      "last_error_at": health.lastErrorAt.map { .string($0.iso8601) } ?? .null,
    ]
  }
}
