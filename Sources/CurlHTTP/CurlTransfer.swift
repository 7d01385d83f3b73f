import CCurl
import Foundation

/// One request in flight: what libcurl reads and writes through pointers stays alive here
/// until the transfer ends. Touched only on the client's thread.
final class CurlTransfer {
  let id: UInt64
  let request: HTTPClientRequest
  let maxResponseBytes: Int
  let continuation: CheckedContinuation<HTTPClientResponse, any Error>
  var body: [UInt8] = []
  var headers: [String: String] = [:]
  var bodyTooLarge = false
  var headerList: UnsafeMutablePointer<curl_slist>?
  let errorBuffer: UnsafeMutablePointer<CChar>
  /// Set by the socket callback when it refused a non-public address.
  let refusedAddress: UnsafeMutablePointer<Int32>
  /// How much of the request body libcurl has read.
  var uploaded = 0

  init(
    id: UInt64, request: HTTPClientRequest, maxResponseBytes: Int,
    continuation: CheckedContinuation<HTTPClientResponse, any Error>
  ) {
    self.id = id
    self.request = request
    self.maxResponseBytes = maxResponseBytes
    self.continuation = continuation
    errorBuffer = .allocate(capacity: Int(portfolio_curl_error_size))
    errorBuffer.initialize(repeating: 0, count: Int(portfolio_curl_error_size))
    refusedAddress = .allocate(capacity: 1)
    refusedAddress.initialize(to: 0)
  }

  deinit {
    curl_slist_free_all(headerList)
    errorBuffer.deallocate()
    refusedAddress.deallocate()
  }

  var errorText: String {
    String(decoding: UnsafeRawBufferPointer(start: errorBuffer, count: strlen(errorBuffer)), as: UTF8.self)
  }

  func appendHeaderLine(_ line: UnsafeRawBufferPointer) {
    let text = String(decoding: line, as: UTF8.self)
    if text.hasPrefix("HTTP/") {
      headers = [:]  // a new response (after a redirect or 100-continue) starts over
      return
    }
    guard let colon = text.firstIndex(of: ":") else { return }
    let name = text[..<colon].lowercased()
    let value = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
    headers[name] = value
    // Room for the whole body at once, rather than grown (and copied) as it arrives.
    if name == "content-length", let length = Int(value), length <= min(maxResponseBytes, 16 << 20) {
      body.reserveCapacity(length)
    }
  }
}

/// libcurl's read callback: the next bytes of the request body, copied from the request.
func curlReadBody(
  _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?
)
  -> Int
{
  guard let user, let buffer else { return portfolio_curl_readfunc_abort }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
  let body = transfer.request.body
  let length = min(size * count, body.count - transfer.uploaded)
  guard length > 0 else { return 0 }
  body.withUnsafeBytes { bytes in
    guard let base = bytes.baseAddress else { return }
    UnsafeMutableRawPointer(buffer).copyMemory(from: base + transfer.uploaded, byteCount: length)
  }
  transfer.uploaded += length
  return length
}

/// libcurl's seek callback: where to read the body from when it must be sent again (a
/// reused connection that turned out closed, a redirect).
func curlSeekBody(_ user: UnsafeMutableRawPointer?, _ offset: curl_off_t, _ origin: Int32) -> Int32 {
  guard let user else { return portfolio_curl_seekfunc_cantseek }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
  guard origin == SEEK_SET, offset >= 0, offset <= transfer.request.body.count else {
    return portfolio_curl_seekfunc_cantseek
  }
  transfer.uploaded = Int(offset)
  return portfolio_curl_seekfunc_ok
}

/// libcurl's write callback: appends response bytes, or stops a response over the limit.
func curlWriteBody(
  _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?
)
  -> Int
{
  guard let user, let data else { return 0 }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
  let length = size * count
  if transfer.body.count + length > transfer.maxResponseBytes {
    transfer.bodyTooLarge = true
    return 0
  }
  transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
  return length
}

/// libcurl's header callback: one header line per call.
func curlWriteHeader(
  _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?
)
  -> Int
{
  guard let user, let data else { return 0 }
  let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
  transfer.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
  return size * count
}
