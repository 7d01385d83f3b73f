import APIDocument
import Foundation
import LiveUpdates
import PortfolioCore
import Storage
import WebServer

/// `/api/v1/portfolio`: totals now and over time; `/api/v1/wallets/{id}/history`: a wallet's
/// changes, newest first.
struct PortfolioRoutes {
  let database: AppDatabase
  let live: LiveService
  let totals: PortfolioTotalsCache
  let recent = RecentAnswer()

  init(database: AppDatabase, live: LiveService) {
    self.database = database
    self.live = live
    totals = PortfolioTotalsCache(database: database)
  }

  static let defaultHistoryPage = 100
  static let maxHistoryPage = 500

  var routes: [Route] {
    [
      Route(.get, "/api/v1/portfolio") { context in
        if CSVExport.wanted(context.request) { return try holdingsCSV(owner: try context.owner) }
        return try portfolio(owner: try context.owner)
      },
      Route(.get, "/api/v1/portfolio/history") { try history($0) },
      Route(.get, "/api/v1/wallets/{id}/history") { try walletHistory($0) },
    ]
  }

  /// `GET /api/v1/portfolio` when the user's totals are already in memory.
  func portfolioFromMemory(owner: UserID) -> HTTPResponse? {
    let generation = database.generation
    if let kept = recent.answer(owner: owner, generation: generation) { return kept }
    guard let current = totals.currentIfCached(owner: owner) else { return nil }
    let response = portfolio(current)
    recent.keep(response, owner: owner, generation: generation)
    return response
  }

  private func portfolio(owner: UserID) throws -> HTTPResponse {
    let generation = database.generation
    if let kept = recent.answer(owner: owner, generation: generation) { return kept }
    let response = portfolio(try totals.current(owner: owner))
    recent.keep(response, owner: owner, generation: generation)
    return response
  }

  private func portfolio(_ current: PortfolioTotalsCache.Totals) -> HTTPResponse {
    let statuses = live.statuses
    var freshness: [String: JSONValue] = [:]
    for (name, status) in statuses {
      freshness[name.rawValue] = [
        "last_success": status.lastSuccess.map { .string($0.iso8601) } ?? .null,
        "lag_seconds": status.lastSuccess.map { .double((Date().timeIntervalSince($0) * 10).rounded() / 10) }
          ?? .null,
      ]
    }
    return JSONResponse.json([
      "wallets": .integer(Int64(current.wallets)),
      "seq": .integer(current.seq),
      "totals": current.totals,
      "value": current.value,
      "freshness": .object(freshness),
    ])
  }

  private func history(_ context: RouteContext) throws -> HTTPResponse {
    let request = context.request
    let to = try Self.date(request.queryValue("to"), field: "to") ?? Date()
    var interval = PortfolioHistory.Interval.hour
    if let text = request.queryValue("interval") {
      guard let value = PortfolioHistory.Interval(rawValue: text) else {
        throw APIError.badRequest("The query parameter 'interval' must be hour or day.", field: "interval")
      }
      interval = value
    }
    let from =
      try Self.date(request.queryValue("from"), field: "from")
      ?? to.addingTimeInterval(interval == .hour ? -7 * 86400 : -365 * 86400)
    guard from <= to else {
      throw APIError.badRequest("'from' must not be after 'to'.", field: "from")
    }
    let span = to.timeIntervalSince(from) / (interval == .hour ? 3600 : 86400)
    guard span < Double(PortfolioHistory.maxBuckets) else {
      let advice = interval == .hour ? "use interval=day or a shorter range" : "use a shorter range"
      throw APIError.badRequest(
        "That range has more than \(PortfolioHistory.maxBuckets) \(interval.rawValue)s; \(advice).",
        field: interval == .hour ? "interval" : "from")
    }
    let buckets = PortfolioHistory.Buckets(from: from, to: to, interval: interval)
    let closes = try HourlyTotals(database).closes(
      owner: try context.owner, fromHour: buckets.firstHour, throughHour: buckets.lastHour)
    let prices = try PriceStore(database).closes(fromHour: buckets.firstHour, throughHour: buckets.lastHour)
    let body = PortfolioHistory.json(closes: closes, prices: prices, buckets: buckets)
    if CSVExport.wanted(request) { return try Self.historyCSV(body) }
    return HTTPResponse(status: 200, contentType: "application/json", headers: [], body: body)
  }

  private func walletHistory(_ context: RouteContext) throws -> HTTPResponse {
    let id = try WalletRoutes.wallet(context, in: WalletStore(database)).id
    let request = context.request
    // An export is the whole history unless a page size is asked for.
    let exporting = CSVExport.wanted(request)
    let limit =
      exporting && request.queryValue("limit") == nil
      ? CSVExport.maxRows
      : try request.pageLimit(standard: Self.defaultHistoryPage, maximum: Self.maxHistoryPage)
    var before: Int64?
    if let text = request.queryValue("before") {
      guard let value = Int64(text), value > 0 else {
        throw APIError.badRequest(
          "The query parameter 'before' must be a seq from an earlier page.", field: "before")
      }
      before = value
    }
    let page = try ChangeLog(database).history(walletID: id, before: before, limit: limit + 1)
    let shown = Array(page.prefix(limit))
    let next: JSONValue = page.count > limit ? shown.last.map { .integer($0.seq) } ?? .null : .null
    let prices = try PriceStore(database).prices(of: shown)
    let changes = shown.map { Representation.change($0, prices: prices) }
    if exporting {
      return CSVExport.response(
        name: "wallet-history", header: CSVColumns.walletHistory,
        rows: CSVExport.rows(changes, columns: CSVColumns.walletHistory))
    }
    return JSONResponse.json(["changes": .array(changes), "next_before": next])
  }

  /// The user's holdings, one row per asset and chain.
  private func holdingsCSV(owner: UserID) throws -> HTTPResponse {
    guard case .array(let totals) = try totals.current(owner: owner).totals else {
      return CSVExport.response(name: "holdings", header: CSVColumns.holdings, rows: [])
    }
    return CSVExport.response(
      name: "holdings", header: CSVColumns.holdings,
      rows: CSVExport.rows(totals, columns: CSVColumns.holdings))
  }

  /// The history's totals, one row per bucket, from the JSON answer.
  private static func historyCSV(_ body: [UInt8]) throws -> HTTPResponse {
    let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(body))
    guard case .object(let fields) = decoded, case .array(let totals)? = fields["totals"] else {
      throw APIError.unavailable("The history could not be read; retry shortly.")
    }
    return CSVExport.response(
      name: "portfolio-history", header: CSVColumns.portfolioHistory,
      rows: CSVExport.rows(totals, columns: ["t", "usd", "unpriced_assets"]))
  }

  /// The times a history can span: from 1970 to the end of 9999, the last year ISO-8601 spells
  /// in four digits. Far beyond, bucket arithmetic in whole seconds would overflow.
  static let historyTimes = Date(timeIntervalSince1970: 0)...Date(timeIntervalSince1970: 253_402_300_799)

  /// ISO-8601, or seconds since 1970.
  static func date(_ text: String?, field: String) throws -> Date? {
    guard let text else { return nil }
    guard let date = Date(iso8601: text), historyTimes.contains(date) else {
      throw APIError.badRequest(
        "The query parameter '\(field)' must be an ISO-8601 time (2026-01-31T00:00:00Z) or seconds since 1970, "
          + "from 1970 to 9999.",
        field: field)
    }
    return date
  }
}
