/// Names one HTTP request in logs and in its `X-Request-Id` answer header. A client's (or a
/// proxy's) own id is kept when it is short and plain, so one id follows a request through
/// every hop; otherwise a random one is made.
enum RequestID {
  static let headerName = "x-request-id"

  static func make(from offered: String?) -> String {
    if let offered, isAcceptable(offered) { return offered }
    return hex(UInt64.random(in: .min ... .max))
  }

  /// 1 to 64 characters of letters, digits, `.`, `_` and `-`: nothing a log line or a header
  /// could be made to misread.
  static func isAcceptable(_ text: String) -> Bool {
    let utf8 = text.utf8
    return (1...64).contains(utf8.count)
      && utf8.allSatisfy { byte in
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
          || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
          || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
          || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
      }
  }

  private static func hex(_ value: UInt64) -> String {
    let text = String(value, radix: 16)
    return String(repeating: "0", count: 16 - text.count) + text
  }
}
