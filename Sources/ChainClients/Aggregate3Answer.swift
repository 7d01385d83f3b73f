import PortfolioCore

/// An `aggregate3` answer, decoded from its hex while the response is read: a read holds each
/// chunk's results (32 bytes a balance) rather than its hex text (several times that) until the
/// last request of the read is answered.
enum Aggregate3Answer: Decodable, Sendable {
  case results([Multicall3.Result])
  /// A string that is not hex, or hex that is not an aggregate3 result.
  case undecodable

  init(from decoder: any Decoder) throws {
    let hex = try decoder.singleValueContainer().decode(String.self)
    guard let data = Hex.decode(hex), let results = try? Multicall3.decodeAggregate3Result(data) else {
      self = .undecodable
      return
    }
    self = .results(results)
  }
}
