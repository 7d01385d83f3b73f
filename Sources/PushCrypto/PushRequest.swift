public import Foundation

/// One HTTP request to a push service, ready for any HTTP client to send.
public struct PushRequest: Equatable, Sendable {
  public let method: String
  public let url: URL
  public let headers: [HeaderField]
  public let body: Data
}
