import Foundation
import PortfolioCore
public import WebServer

/// JSON bodies: keys sorted so responses are stable, dates as ISO-8601 UTC.
public enum JSONResponse {
  public static func make(
    _ value: some Encodable, status: Int = 200, headers: [(name: String, value: String)] = []
  ) throws -> HTTPResponse {
    HTTPResponse(
      status: status, contentType: "application/json", headers: headers,
      body: Array(try encoder.encode(value)))
  }

  static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return encoder
  }
}

extension Date {
  /// `2026-11-25T04:17:54.123Z`, from whole milliseconds so it matches what SQLite keeps.
  var iso8601: String {
    let milliseconds = millisecondsSince1970
    let seconds = Date(timeIntervalSince1970: Double(milliseconds.floorDiv(1000)))
    let whole = seconds.formatted(Date.ISO8601FormatStyle()).dropLast()  // drops the "Z"
    let fraction = String(milliseconds.floorMod(1000) + 1000).dropFirst()
    return "\(whole).\(fraction)Z"
  }
}

extension Int64 {
  fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
    (self - floorMod(divisor)) / divisor
  }

  fileprivate func floorMod(_ divisor: Int64) -> Int64 {
    ((self % divisor) + divisor) % divisor
  }
}
