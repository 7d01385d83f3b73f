import Foundation
import PortfolioCore
import WebServer

/// Lists as CSV (RFC 4180) for spreadsheets, when a request's `Accept` prefers `text/csv`.
enum CSVExport {
  /// The most rows one export holds: a wallet's history beyond it is read in pages.
  static let maxRows = 100_000

  /// Whether `Accept` ranks `text/csv` above `application/json`; a tie, `*/*` or no header
  /// keep JSON.
  static func wanted(_ request: HTTPRequest) -> Bool {
    guard let accept = request.headers["accept"]?.lowercased() else { return false }
    var csv = 0.0
    var json = 0.0
    for range in accept.split(separator: ",") {
      let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      guard let type = parts.first else { continue }
      let quality =
        parts.dropFirst().lazy.compactMap { parameter -> Double? in
          parameter.hasPrefix("q=") ? Double(parameter.dropFirst(2)) : nil
        }.first ?? 1
      switch type {
      case "text/csv": csv = max(csv, quality)
      case "application/json", "application/*", "*/*": json = max(json, quality)
      default: continue
      }
    }
    return csv > json
  }

  /// A CSV answer with a header line, offered as a download named `name-<date>.csv`.
  static func response(name: String, header: [String], rows: [[String]], now: Date = Date()) -> HTTPResponse {
    var text = line(header)
    for row in rows { text += line(row) }
    let day = String(now.iso8601.prefix(10))
    return HTTPResponse(
      status: 200, contentType: "text/csv; charset=utf-8",
      headers: [("content-disposition", "attachment; filename=\"\(name)-\(day).csv\"")],
      body: Array(text.utf8))
  }

  /// One row per object, the `columns` in order; null and missing cells are empty.
  static func rows(_ objects: [JSONValue], columns: [String]) -> [[String]] {
    objects.map { object in
      columns.map { column in
        guard case .object(let fields) = object else { return "" }
        switch fields[column] {
        case .string(let text)?: return Self.text(text)
        case .integer(let number)?: return String(number)
        case .unsigned(let number)?: return String(number)
        case .double(let number)?: return String(number)
        case .bool(let flag)?: return String(flag)
        default: return ""
        }
      }
    }
  }

  private static func line(_ cells: [String]) -> String {
    cells.map(field).joined(separator: ",") + "\r\n"
  }

  /// Quoted when it holds a comma, quote or line break (quotes doubled).
  private static func field(_ value: String) -> String {
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// Text from people or from chains (a label, a token's symbol): one starting with `=`, `+`,
  /// `-` or `@` would run as a formula in a spreadsheet, so it gets a leading apostrophe, as
  /// OWASP advises for CSV exports. Numbers (a negative change) are left as they are.
  static func text(_ value: String?) -> String {
    guard let value else { return "" }
    guard let first = value.first, "=+-@\t\r".contains(first), Double(value) == nil else { return value }
    return "'" + value
  }
}
