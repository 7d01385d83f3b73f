/// One HTTP request on one connection, from its headers to the last byte of its response.
final class HTTPExchange {
  enum Phase {
    case readingBody
    case handling
    case writing
    /// Everything is written; the connection closes on the next writable callback.
    case closing
  }

  let requestID: UInt64
  let started: ContinuousClock.Instant
  var request: HTTPRequest
  var phase: Phase
  var expectedBodyLength: Int
  var outbound: [UInt8] = []
  var written = 0
  var status = 0
  var closeAfterResponse = false

  init(requestID: UInt64, request: HTTPRequest, expectedBodyLength: Int) {
    self.requestID = requestID
    self.started = .now
    self.request = request
    self.expectedBodyLength = expectedBodyLength
    self.phase = expectedBodyLength > 0 ? .readingBody : .handling
  }
}
