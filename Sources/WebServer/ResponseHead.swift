import CWebSockets

/// The status line and headers of a response, composed by libwebsockets' helpers so lws knows
/// the content length and keep-alive state of the transaction.
enum ResponseHead {
  static func encode(_ response: HTTPResponse, bodyLength: Int, wsi: OpaquePointer) -> [UInt8]? {
    let capacity = 8192
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
      guard let start = buffer.baseAddress else { return nil }
      let end = start + capacity
      var cursor: UnsafeMutablePointer<UInt8>? = start
      let common: Int32 =
        if let contentType = response.contentType {
          lws_add_http_common_headers(
            wsi, UInt32(response.status), contentType, lws_filepos_t(bodyLength), &cursor, end)
        } else {
          lws_add_http_common_headers(
            wsi, UInt32(response.status), nil, lws_filepos_t(bodyLength), &cursor, end)
        }
      guard common == 0 else { return nil }
      var extra = response.headers
      if response.closeConnection { extra.append(("connection", "close")) }
      for (name, value) in extra {
        let added = lws_add_http_header_by_name(
          wsi, name + ":", value, Int32(value.utf8.count), &cursor, end)
        guard added == 0 else { return nil }
      }
      guard lws_finalize_http_header(wsi, &cursor, end) == 0, let cursor else { return nil }
      return Array(UnsafeBufferPointer(start: start, count: cursor - start))
    }
  }
}
