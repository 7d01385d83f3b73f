import Foundation
import PortfolioCore
import SwiftCSV
import WebServer

/// One row of an import as the client sent it, before it is checked.
struct ImportRow {
  let chain: String?
  let address: String?
  let label: String?
  /// Why the row cannot be read at all (a wrong type, an unknown column value).
  let problem: (field: String?, message: String)?
}

/// Reads the rows of `POST /api/v1/wallets/import`: a JSON array of `{chain, address, label?}`
/// objects, or CSV with a header line naming `chain`, `address` and optionally `label`.
enum WalletImportRows {
  static let maxRows = 10_000

  static func parse(_ request: HTTPRequest) throws(APIError) -> [ImportRow] {
    guard !request.body.isEmpty else {
      throw .badRequest("The request needs a body: a JSON array of wallets, or CSV with a header line.")
    }
    let type = request.headers["content-type"]?.lowercased() ?? ""
    let rows: [ImportRow]
    if type.contains("csv") {
      rows = try csv(request.body)
    } else if type.isEmpty || type.contains("json") {
      rows = try json(request)
    } else {
      throw .unsupportedMediaType("Send the wallets as application/json or text/csv, not \(type).")
    }
    guard !rows.isEmpty else { throw .badRequest("The import holds no rows.") }
    guard rows.count <= maxRows else {
      throw APIError(
        Problem(
          status: 413, title: "Content Too Large",
          detail: "The import holds \(rows.count) rows; at most \(maxRows) are taken at once.",
          extensions: ["max_rows": .int(maxRows)]))
    }
    return rows
  }

  private static func json(_ request: HTTPRequest) throws(APIError) -> [ImportRow] {
    let parsed = try JSONBody.parse(request)
    // `{"wallets": [...]}` is taken too, the shape `GET /api/v1/wallets` answers with.
    guard case .array(let items) = parsed["wallets"] ?? parsed else {
      throw .badRequest("The body must be a JSON array of wallets: [{\"chain\": …, \"address\": …}].")
    }
    return items.map { item in
      guard case .object(let object) = item else {
        return ImportRow(
          chain: nil, address: nil, label: nil, problem: (nil, "The row must be a JSON object."))
      }
      let allowed: Set<String> = ["chain", "address", "label"]
      if let extra = Set(object.keys).subtracting(allowed).sorted().first {
        return ImportRow(
          chain: nil, address: nil, label: nil,
          problem: (extra, "The field '\(extra)' is not accepted; accepted: address, chain, label."))
      }
      for field in ["chain", "address", "label"] {
        if let value = object[field], value != .null, value.stringValue == nil {
          return ImportRow(
            chain: nil, address: nil, label: nil, problem: (field, "The field '\(field)' must be a string."))
        }
      }
      return ImportRow(
        chain: object["chain"]?.stringValue, address: object["address"]?.stringValue,
        label: object["label"]?.stringValue, problem: nil)
    }
  }

  private static func csv(_ body: [UInt8]) throws(APIError) -> [ImportRow] {
    guard let text = String(validating: body, as: UTF8.self) else {
      throw .badRequest("The CSV is not valid UTF-8.")
    }
    let table: CSV<Enumerated>
    do {
      table = try CSV<Enumerated>(string: text, delimiter: .comma, loadColumns: false)
    } catch {
      throw .badRequest("The CSV cannot be read: \(error).")
    }
    let header = table.header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    guard let chainColumn = header.firstIndex(of: "chain"),
      let addressColumn = header.firstIndex(of: "address")
    else {
      throw .badRequest(
        "The CSV's first line must name its columns: chain,address,label (label may be left out); it was '\(table.header.joined(separator: ","))'."
      )
    }
    let labelColumn = header.firstIndex(of: "label")
    return table.rows.compactMap { cells in
      // Blank lines (a trailing newline, say) are not rows.
      if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { return nil }
      func cell(_ index: Int?) -> String? {
        guard let index, index < cells.count else { return nil }
        return cells[index]
      }
      return ImportRow(
        chain: cell(chainColumn), address: cell(addressColumn), label: cell(labelColumn), problem: nil)
    }
  }
}
