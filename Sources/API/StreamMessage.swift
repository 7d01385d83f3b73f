import Foundation
import LiveUpdates
import PortfolioCore

/// A client message on `/api/v1/stream`, parsed and checked.
enum StreamMessage: Equatable {
  /// `topic` as the client names it, checked: `portfolio` (the caller's own), `wallet:<id>` or
  /// `chains`.
  case subscribe(topic: String, since: Int64?, epoch: String?)
  case unsubscribe(topic: String)
  case auth(token: String)
}

/// Why a client message was refused; sent back as an `error` frame.
struct StreamMessageError: Error, Equatable {
  let code: String
  let message: String
}

extension StreamMessage {
  /// The topic of every chain's health: `chain_status` frames, outside the change log.
  static let chainsTopic = "chains"

  static func parse(_ text: String) throws(StreamMessageError) -> StreamMessage {
    let parsed: JSONValue
    do {
      parsed = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    } catch {
      throw StreamMessageError(code: "invalid_json", message: "The message is not valid JSON.")
    }
    guard case .object(let object) = parsed else {
      throw StreamMessageError(code: "invalid_message", message: "The message must be a JSON object.")
    }
    guard let op = object["op"]?.stringValue else {
      throw StreamMessageError(
        code: "missing_field", message: "The field 'op' is required: subscribe, unsubscribe or auth.")
    }
    guard ["subscribe", "unsubscribe", "auth"].contains(op) else {
      // Echoed back, so a long one is cut short.
      let shown = op.count > 40 ? String(op.prefix(40)) + "…" : op
      throw StreamMessageError(
        code: "unknown_op", message: "unknown op \"\(shown)\"; ops are subscribe, unsubscribe and auth.")
    }
    if op == "auth" {
      guard let token = object["token"]?.stringValue, !token.isEmpty else {
        throw StreamMessageError(
          code: "missing_field", message: "The field 'token' is required: an access token, as a string.")
      }
      return .auth(token: token)
    }
    guard let topicText = object["topic"]?.stringValue else {
      throw StreamMessageError(
        code: "missing_field", message: "The field 'topic' is required: portfolio, wallet:<id> or chains.")
    }
    guard topicText == chainsTopic || StreamTopic(topicText, owner: .first) != nil else {
      throw StreamMessageError(
        code: "invalid_topic",
        message: "Unknown topic '\(topicText)'; topics are portfolio, wallet:<wallet id> and chains.")
    }
    if op == "unsubscribe" { return .unsubscribe(topic: topicText) }
    return .subscribe(topic: topicText, since: try since(object["since"]), epoch: try epoch(object["epoch"]))
  }

  private static func since(_ value: JSONValue?) throws(StreamMessageError) -> Int64? {
    switch value {
    case nil, .null?: return nil
    case .integer(let number)? where number >= 0: return number
    // 1.0 is a whole number too; true, 1.5 and "1" are not.
    case .double(let number)? where number >= 0 && number.rounded() == number && number < 9.2e18:
      return Int64(number)
    default:
      throw StreamMessageError(
        code: "invalid_field", message: "The field 'since' must be a whole number, 0 or more.")
    }
  }

  private static func epoch(_ value: JSONValue?) throws(StreamMessageError) -> String? {
    switch value {
    case nil, .null?: return nil
    case .string(let text)?: return text
    default:
      throw StreamMessageError(code: "invalid_field", message: "The field 'epoch' must be a string.")
    }
  }
}
