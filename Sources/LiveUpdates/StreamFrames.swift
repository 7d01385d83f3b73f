public import Foundation
public import PortfolioCore
public import Storage

/// The server's frames on `/api/v1/stream`, as bytes ready to send.
public enum StreamFrames {
  public static func diff(topic: StreamTopic, changes: [BalanceChange]) -> [UInt8] {
    let frame: JSONValue = [
      "type": "diff", "topic": .string(topic.description), "seq": .integer(changes.map(\.seq).max() ?? 0),
      "changes": .array(changes.map(Representation.change)),
    ]
    return frame.jsonBytes
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

  public static func walletAdded(_ wallet: Wallet) -> [UInt8] {
    let frame: JSONValue = [
      "type": "wallet_added", "topic": "portfolio", "wallet": Representation.wallet(wallet),
    ]
    return frame.jsonBytes
  }

  public static func walletRemoved(_ id: UUID, topic: StreamTopic) -> [UInt8] {
    let frame: JSONValue = [
      "type": "wallet_removed", "topic": .string(topic.description),
      "wallet_id": .string(id.uuidString.lowercased()),
    ]
    return frame.jsonBytes
  }

  public static func error(code: String, message: String) -> [UInt8] {
    let frame: JSONValue = ["type": "error", "code": .string(code), "message": .string(message)]
    return frame.jsonBytes
  }

  public static func acknowledgement(_ type: String, topic: StreamTopic) -> [UInt8] {
    let frame: JSONValue = ["type": .string(type), "topic": .string(topic.description)]
    return frame.jsonBytes
  }
}
