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
  var route: String?
  var closeAfterResponse = false
  /// A `Transfer-Encoding: chunked` body, which lws 4.1 passes on still chunked.
  var chunkedBody: ChunkedBody?
  /// lws still counts body bytes it will read after this request (a chunked body has no
  /// length for it), so the connection cannot carry another request.
  var connectionSpent = false
  /// Body bytes arrived; the first ones are checked for lws' misread of a pipelined body.
  var bodyStarted = false

  init(requestID: UInt64, request: HTTPRequest, expectedBodyLength: Int) {
    self.requestID = requestID
    self.started = .now
    self.request = request
    self.expectedBodyLength = expectedBodyLength
    self.phase = expectedBodyLength > 0 ? .readingBody : .handling
  }
}
