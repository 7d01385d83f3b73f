public import Foundation

/// What a stream subscription follows.
public enum StreamTopic: Hashable, Sendable, CustomStringConvertible {
  case portfolio
  case wallet(UUID)

  public init?(_ text: String) {
    if text == "portfolio" {
      self = .portfolio
    } else if text.hasPrefix("wallet:"), let id = UUID(uuidString: String(text.dropFirst(7))) {
      self = .wallet(id)
    } else {
      return nil
    }
  }

  public var description: String {
    switch self {
    case .portfolio: "portfolio"
    case .wallet(let id): "wallet:\(id.uuidString.lowercased())"
    }
  }
}
