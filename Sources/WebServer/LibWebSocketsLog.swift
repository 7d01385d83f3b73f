import CWebSockets
import Logging

/// Routes libwebsockets' own warnings and errors into swift-log.
enum LibWebSocketsLog {
  private static let logger = Logger(label: "libwebsockets")

  static func install() {
    lws_set_log_level(portfolio_lws_log_errors) { level, line in
      guard let line else { return }
      let text = String(cString: line).trimmingCharacters(in: .whitespacesAndNewlines)
      if level & Int32(LLL_ERR) != 0 {
        LibWebSocketsLog.logger.error("\(text)")
      } else {
        LibWebSocketsLog.logger.warning("\(text)")
      }
    }
  }
}
