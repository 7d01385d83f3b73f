import PortfolioCore

/// Field types beyond strings, for bodies with lists, flags and numbers.
extension JSONBody {
  /// An optional list of strings: absent or null gives nil.
  func optionalStrings(_ field: String, maxCount: Int = 1000) throws(APIError) -> [String]? {
    guard let value = value(field), value != .null else { return nil }
    guard case .array(let items) = value, items.count <= maxCount else {
      throw .badRequest("The field '\(field)' must be a list of at most \(maxCount) strings.", field: field)
    }
    var strings: [String] = []
    for item in items {
      guard case .string(let text) = item else {
        throw .badRequest("The field '\(field)' must be a list of strings.", field: field)
      }
      strings.append(text)
    }
    return strings
  }

  /// An optional boolean: absent or null gives nil.
  func optionalBool(_ field: String) throws(APIError) -> Bool? {
    guard let value = value(field), value != .null else { return nil }
    guard case .bool(let flag) = value else {
      throw .badRequest("The field '\(field)' must be true or false.", field: field)
    }
    return flag
  }

  /// An optional whole number: absent or null gives nil.
  func optionalInteger(_ field: String, in range: ClosedRange<Int64>) throws(APIError) -> Int64? {
    guard let value = value(field), value != .null else { return nil }
    guard case .integer(let number) = value, range.contains(number) else {
      throw .badRequest(
        "The field '\(field)' must be a whole number from \(range.lowerBound) to \(range.upperBound).",
        field: field)
    }
    return number
  }

  /// An optional object, as its own body: absent or null gives nil.
  func optionalObject(_ field: String) throws(APIError) -> JSONBody? {
    guard let value = value(field), value != .null else { return nil }
    guard case .object(let object) = value else {
      throw .badRequest("The field '\(field)' must be an object.", field: field)
    }
    return JSONBody(object: object)
  }
}
