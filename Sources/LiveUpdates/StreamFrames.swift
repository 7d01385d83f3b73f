import Foundation
public import PortfolioCore
public import Storage

/// The server's frames on `/api/v1/stream`, as bytes ready to send.
public enum StreamFrames {
  /// Changes, each valued at its asset's price when it happened (`prices`, by `seq`).
  public static func diff(topic: StreamTopic, changes: [BalanceChange], prices: [Int64: StoredPrice])
    -> [UInt8]
  {
    let frame: JSONValue = [
      "type": "diff", "topic": .string(topic.description), "seq": .integer(changes.map(\.seq).max() ?? 0),
      "changes": .array(changes.map { Representation.change($0, prices: prices) }),
    ]
    return frame.jsonBytes
  }

  /// Prices moved: the moves and, so a client needs no other request, the topic's new value
  /// (`data`: the portfolio's `totals` and `value`, or a wallet's `balances` and `usd`).
  public static func value(topic: StreamTopic, seq: Int64, moves: [PriceMove], data: [String: JSONValue])
    -> [UInt8]
  {
    var frame = data
    frame["type"] = "value"
    frame["topic"] = .string(topic.description)
    frame["seq"] = .integer(seq)
    frame["prices"] = .array(moves.map(Valuation.priceMove))
    return JSONValue.object(frame).jsonBytes
  }

  public static func snapshot(topic: StreamTopic, epoch: String, seq: Int64, reset: Bool, data: JSONValue)
    -> [UInt8]
  {
    var frame: [String: JSONValue] = [
      "type": "snapshot", "topic": .string(topic.description), "epoch": .string(epoch), "seq": .integer(seq),
      "data": data,
    ]
    if reset { frame["reset"] = true }
    return JSONValue.object(frame).jsonBytes
  }

  /// Ends a replay: the client is current through `seq`; live diffs follow.
  public static func resumed(topic: StreamTopic, epoch: String, seq: Int64, replayed: Int) -> [UInt8] {
    let frame: JSONValue = [
      "type": "resumed", "topic": .string(topic.description), "epoch": .string(epoch), "seq": .integer(seq),
      "replayed": .integer(Int64(replayed)),
    ]
    return frame.jsonBytes
  }

  public static func walletAdded(_ wallet: Wallet, seq: Int64) -> [UInt8] {
    let frame: JSONValue = [
      "type": "wallet_added", "topic": "portfolio", "seq": .integer(seq),
      "wallet": Representation.wallet(wallet),
    ]
    return frame.jsonBytes
  }

  /// Many wallets added in one commit (an import): one frame rather than one per wallet.
  public static func walletsAdded(_ wallets: [(seq: Int64, wallet: Wallet)]) -> [UInt8] {
    let frame: JSONValue = [
      "type": "wallets_added", "topic": "portfolio", "seq": .integer(wallets.map(\.seq).max() ?? 0),
      "wallets": .array(
        wallets.map { entry in
          guard case .object(var object) = Representation.wallet(entry.wallet) else { return .null }
          object["seq"] = .integer(entry.seq)
          return .object(object)
        }),
    ]
    return frame.jsonBytes
  }

  public static func walletRemoved(_ wallet: Wallet, seq: Int64, topic: StreamTopic) -> [UInt8] {
    let frame: JSONValue = [
      "type": "wallet_removed", "topic": .string(topic.description), "seq": .integer(seq),
      "wallet_id": .string(wallet.id.uuidString.lowercased()), "chain": .string(wallet.chain.rawValue),
      "address": .string(wallet.address),
    ]
    return frame.jsonBytes
  }

  /// An alert rule of the user fired.
  public static func alert(_ alert: FiredAlert, topic: StreamTopic) -> [UInt8] {
    let frame: JSONValue = [
      "type": "alert", "topic": .string(topic.description), "seq": .integer(alert.seq),
      "alert": [
        "rule_id": .string(alert.ruleID.uuidString.lowercased()), "title": .string(alert.title),
        "message": .string(alert.message), "data": alert.data, "at": .string(alert.at.iso8601),
      ],
    ]
    return frame.jsonBytes
  }

  /// The connection's `auth` message was accepted.
  public static func authenticated(user: String, scope: String) -> [UInt8] {
    let frame: JSONValue = ["type": "authenticated", "user": .string(user), "scope": .string(scope)]
    return frame.jsonBytes
  }

  public static func error(code: String, message: String) -> [UInt8] {
    let frame: JSONValue = ["type": "error", "code": .string(code), "message": .string(message)]
    return frame.jsonBytes
  }

  public static func acknowledgement(_ type: String, topic: StreamTopic) -> [UInt8] {
    acknowledgement(type, topicName: topic.description)
  }

  /// The same for a topic outside the change log (`chains`).
  public static func acknowledgement(_ type: String, topicName: String) -> [UInt8] {
    let frame: JSONValue = ["type": .string(type), "topic": .string(topicName)]
    return frame.jsonBytes
  }
}
