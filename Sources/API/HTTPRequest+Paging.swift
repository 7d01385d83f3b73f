import WebServer

extension HTTPRequest {
  /// The `limit` query parameter: a page size from 1 to `maximum`, `standard` when absent.
  func pageLimit(standard: Int, maximum: Int) throws(APIError) -> Int {
    guard let text = queryValue("limit") else { return standard }
    guard let value = Int(text), (1...maximum).contains(value) else {
      throw APIError.badRequest(
        "The query parameter 'limit' must be a whole number from 1 to \(maximum).", field: "limit")
    }
    return value
  }
}
