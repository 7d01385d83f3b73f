import Foundation
import PortfolioCore
import WebServer

/// The control API's price actions: `POST /control/price` and `POST /control/coingecko`.
extension DevChainResponder {
  /// `{"coin", "usd", "updated_at"?}`, `{"platform", "contract", "usd", "updated_at"?}` or
  /// `{"chain"?, "feed", "usd", "decimals"?, "updated_at"?, "description"?}`; `usd` null removes.
  func setPrice(_ body: JSONValue) throws(DevChain.ControlError) -> HTTPResponse {
    let targets = ["coin", "platform", "feed"].filter { body[$0] != nil }
    guard targets.count == 1, let target = targets.first else {
      throw DevChain.ControlError(
        message: "price needs exactly one of coin (a CoinGecko coin id), platform with contract, "
          + "or feed (a price feed address on ethereum)")
    }
    guard let usdField = body["usd"] else {
      throw DevChain.ControlError(message: "price needs usd: a decimal string, a number, or null to remove")
    }
    let usd = try Self.usdText(usdField)
    let updatedAt = try Self.unixSeconds(body["updated_at"]) ?? Int64(Date().timeIntervalSince1970)
    let name = try Self.string(body, target)
    switch target {
    case "coin":
      try chain.setCoinPrice(coin: name, usd: usd, updatedAt: updatedAt)
      return json(
        200,
        ["coin": .string(name), "usd": usd.map(JSONValue.string) ?? .null, "updated_at": .integer(updatedAt)])
    case "platform":
      let key = try chain.setTokenPrice(
        platform: name, contract: try Self.string(body, "contract"), usd: usd, updatedAt: updatedAt)
      return json(
        200,
        [
          "platform": .string(name), "contract": .string(key), "usd": usd.map(JSONValue.string) ?? .null,
          "updated_at": .integer(updatedAt),
        ])
    default:
      return try setFeed(address: name, usd: usd, updatedAt: updatedAt, body)
    }
  }

  private func setFeed(address: String, usd: String?, updatedAt: Int64, _ body: JSONValue)
    throws(DevChain.ControlError) -> HTTPResponse
  {
    let decimals = try body["decimals"].map { value throws(DevChain.ControlError) in
      guard let decimals = value.uint8 else {
        throw DevChain.ControlError(message: "decimals must be a whole number from 0 to 255")
      }
      return decimals
    }
    let chainName = body["chain"]?.stringValue ?? "ethereum"
    let round = try chain.setPriceFeed(
      chain: chainName, address: address, usd: usd, decimals: decimals ?? 8, updatedAt: updatedAt,
      description: body["description"]?.stringValue)
    guard let round else {
      return json(200, ["chain": .string(chainName), "feed": .string(address), "usd": .null])
    }
    return json(
      200,
      [
        "chain": .string(chainName), "feed": .string(address), "usd": usd.map(JSONValue.string) ?? .null,
        "answer": .string(round.answer), "decimals": .integer(Int64(decimals ?? 8)),
        "round_id": .unsigned(round.roundID), "updated_at": .unsigned(round.updatedAt),
      ])
  }

  /// `{"api_key": "K" | null, "plan"?: "demo" | "pro"}`.
  func configureCoinGecko(_ body: JSONValue) throws(DevChain.ControlError) -> HTTPResponse {
    switch body["api_key"] {
    case .null?:
      chain.setCoinGeckoKeyCheck(nil)
      return json(200, ["api_key_required": false])
    case .string(let key)? where !key.isEmpty:
      let planText = body["plan"]?.stringValue ?? "demo"
      guard let plan = CoinGeckoKeyCheck.Plan(rawValue: planText) else {
        throw DevChain.ControlError(message: "plan must be demo or pro, got \"\(planText)\"")
      }
      chain.setCoinGeckoKeyCheck(CoinGeckoKeyCheck(key: key, plan: plan))
      return json(
        200, ["api_key_required": true, "plan": .string(plan.rawValue), "header": .string(plan.header)])
    default:
      throw DevChain.ControlError(
        message: "coingecko needs api_key: a non-empty string, or null to stop asking for a key")
    }
  }

  static func coinGeckoStatsJSON(_ stats: CoinGeckoStats) -> JSONValue {
    [
      "http_requests": .integer(Int64(stats.httpRequests)),
      "calls": .object(stats.calls.mapValues { .integer(Int64($0)) }),
      "assets_asked": .integer(Int64(stats.assetsAsked)),
    ]
  }

  private static func usdText(_ value: JSONValue) throws(DevChain.ControlError) -> String? {
    switch value {
    case .null: return nil
    case .string(let text): return text
    default:
      guard let decimal = DecimalText(json: value) else {
        throw DevChain.ControlError(message: "usd must be a decimal string, a number, or null to remove")
      }
      return decimal.text
    }
  }

  private static func unixSeconds(_ value: JSONValue?) throws(DevChain.ControlError) -> Int64? {
    guard let value, value != .null else { return nil }
    guard let seconds = value.uint64, let exact = Int64(exactly: seconds) else {
      let given = String(decoding: value.jsonBytes, as: UTF8.self)
      throw DevChain.ControlError(message: "updated_at must be unix seconds (a whole number), got \(given)")
    }
    return exact
  }

  private static func string(_ body: JSONValue, _ field: String) throws(DevChain.ControlError) -> String {
    guard let text = body[field]?.stringValue, !text.isEmpty else {
      throw DevChain.ControlError(message: "\(field) must be a non-empty string")
    }
    return text
  }
}
