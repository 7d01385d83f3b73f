import Foundation
import LiveUpdates

/// A client message on `/api/v1/stream`, parsed and checked.
enum StreamMessage: Equatable {
  case subscribe(topic: StreamTopic, since: Int64?, epoch: String?)
  case unsubscribe(topic: StreamTopic)
}

/// Why a client message was refused; sent back as an `error` frame.
struct StreamMessageError: Error, Equatable {
  let code: String
  let message: String
}

extension StreamMessage {
  static func parse(_ text: String) throws(StreamMessageError) -> StreamMessage {
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    } catch {
      throw StreamMessageError(code: "invalid_json", message: "The message is not valid JSON.")
    }
    guard let object = parsed as? [String: Any] else {
      throw StreamMessageError(code: "invalid_message", message: "The message must be a JSON object.")
    }
    guard let op = object["op"] as? String else {
      throw StreamMessageError(
        code: "missing_field", message: "The field 'op' is required: subscribe or unsubscribe.")
    }
    guard let topicText = object["topic"] as? String else {
      throw StreamMessageError(
        code: "missing_field", message: "The field 'topic' is required: portfolio or wallet:<id>.")
    }
    guard let topic = StreamTopic(topicText) else {
      throw StreamMessageError(
        code: "invalid_topic",
        message: "Unknown topic '\(topicText)'; topics are portfolio and wallet:<wallet id>.")
    }
    switch op {
    case "subscribe":
      return .subscribe(topic: topic, since: try since(object["since"]), epoch: try epoch(object["epoch"]))
    case "unsubscribe":
      return .unsubscribe(topic: topic)
    default:
      throw StreamMessageError(
        code: "unknown_op", message: "Unknown op '\(op)'; ops are subscribe and unsubscribe.")
    }
  }

  private static func since(_ value: Any?) throws(StreamMessageError) -> Int64? {
    guard let value, !(value is NSNull) else { return nil }
    // JSON true/false arrive as NSNumber too; their type code is "c". Numbers 0 and 1 also
    // bridge to Bool on Linux, so the type code, not `is Bool`, tells them apart.
    guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
      number.doubleValue == Double(number.int64Value), number.int64Value >= 0
    else {
      throw StreamMessageError(
        code: "invalid_field", message: "The field 'since' must be a whole number, 0 or more.")
    }
    return number.int64Value
  }

  private static func epoch(_ value: Any?) throws(StreamMessageError) -> String? {
    guard let value, !(value is NSNull) else { return nil }
    guard let text = value as? String else {
      throw StreamMessageError(code: "invalid_field", message: "The field 'epoch' must be a string.")
    }
    return text
  }
}
