/// One HTTP header, kept in a list so the order a request was built in is the order it is sent.
public struct HeaderField: Equatable, Hashable, Sendable {
  public let name: String
  public let value: String

  public init(name: String, value: String) {
    self.name = name
    self.value = value
  }
}

extension [HeaderField] {
  /// The first value of a header, by case-insensitive name as HTTP compares them.
  public func value(of name: String) -> String? {
    first { $0.name.lowercased() == name.lowercased() }?.value
  }
}
