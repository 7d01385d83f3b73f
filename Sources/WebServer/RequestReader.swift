import CWebSockets

/// Copies a request's parts out of libwebsockets' header table. Service thread only.
enum RequestReader {
  static func method(_ wsi: OpaquePointer) -> (method: HTTPMethod?, path: String) {
    var uri: UnsafeMutablePointer<CChar>?
    var length: Int32 = 0
    let index = Int(lws_http_get_uri_and_method(wsi, &uri, &length))
    let path =
      uri.map { pointer in
        pointer.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
          String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self)
        }
      } ?? "/"
    let methods: [Int: HTTPMethod] = [
      Int(LWSHUMETH_GET): .get, Int(LWSHUMETH_POST): .post,
      Int(LWSHUMETH_OPTIONS): .options, Int(LWSHUMETH_PUT): .put,
      Int(LWSHUMETH_PATCH): .patch, Int(LWSHUMETH_DELETE): .delete,
      Int(LWSHUMETH_HEAD): .head,
    ]
    return (methods[index], path)
  }

  static func header(_ wsi: OpaquePointer, _ token: lws_token_indexes) -> String? {
    let length = Int(lws_hdr_total_length(wsi, token))
    guard length > 0 else { return nil }
    var buffer = [CChar](repeating: 0, count: length + 1)
    guard lws_hdr_copy(wsi, &buffer, Int32(buffer.count), token) >= 0 else { return nil }
    return string(buffer)
  }

  /// Query arguments, which lws keeps as url-decoded `name=value` fragments.
  static func query(_ wsi: OpaquePointer) -> [(name: String, value: String)] {
    var arguments: [(name: String, value: String)] = []
    var buffer = [CChar](repeating: 0, count: 4096)
    var index: Int32 = 0
    while lws_hdr_copy_fragment(wsi, &buffer, Int32(buffer.count), WSI_TOKEN_HTTP_URI_ARGS, index)
      >= 0
    {
      let fragment = string(buffer)
      if let equals = fragment.firstIndex(of: "=") {
        arguments.append(
          (String(fragment[..<equals]), String(fragment[fragment.index(after: equals)...])))
      } else if !fragment.isEmpty {
        arguments.append((fragment, ""))
      }
      index += 1
    }
    return arguments
  }

  static func headers(_ wsi: OpaquePointer) -> [String: String] {
    let wanted: [(String, lws_token_indexes)] = [
      ("content-type", WSI_TOKEN_HTTP_CONTENT_TYPE),
      ("content-length", WSI_TOKEN_HTTP_CONTENT_LENGTH),
      ("transfer-encoding", WSI_TOKEN_HTTP_TRANSFER_ENCODING),
      ("accept", WSI_TOKEN_HTTP_ACCEPT),
      ("origin", WSI_TOKEN_ORIGIN),
      ("host", WSI_TOKEN_HOST),
      ("x-forwarded-for", WSI_TOKEN_X_FORWARDED_FOR),
      ("if-none-match", WSI_TOKEN_HTTP_IF_NONE_MATCH),
    ]
    var headers: [String: String] = [:]
    for (name, token) in wanted {
      if let value = header(wsi, token) { headers[name] = value }
    }
    return headers
  }

  static func peer(_ wsi: OpaquePointer) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    guard lws_get_peer_simple(wsi, &buffer, buffer.count) != nil else { return "" }
    return string(buffer)
  }

  static func string(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
  }
}
