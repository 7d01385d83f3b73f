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

  static func headers(_ wsi: OpaquePointer, extra: [String] = []) -> [String: String] {
    let wanted: [(String, lws_token_indexes)] = [
      ("content-type", WSI_TOKEN_HTTP_CONTENT_TYPE),
      ("content-length", WSI_TOKEN_HTTP_CONTENT_LENGTH),
      ("transfer-encoding", WSI_TOKEN_HTTP_TRANSFER_ENCODING),
      ("accept", WSI_TOKEN_HTTP_ACCEPT),
      ("origin", WSI_TOKEN_ORIGIN),
      ("host", WSI_TOKEN_HOST),
      ("x-forwarded-for", WSI_TOKEN_X_FORWARDED_FOR),
      ("if-none-match", WSI_TOKEN_HTTP_IF_NONE_MATCH),
      ("authorization", WSI_TOKEN_HTTP_AUTHORIZATION),
    ]
    var headers: [String: String] = [:]
    for (name, token) in wanted {
      if let value = header(wsi, token) { headers[name] = value }
    }
    for name in extra {
      if let value = customHeader(wsi, name) { headers[name] = value }
    }
    for name in alwaysRead {
      if let value = customHeader(wsi, name) { headers[name] = value }
    }
    return headers
  }

  /// Headers lws has no token for that every request is read for: the request's id, and
  /// whether a proxy forwarded it (for `/metrics`).
  private static let alwaysRead = [RequestID.headerName, "forwarded"]

  /// A header lws has no token for, asked for by name (lws matches it with its colon).
  static func customHeader(_ wsi: OpaquePointer, _ name: String) -> String? {
    let field = Array((name + ":").utf8CString)
    let nameLength = Int32(field.count - 1)
    let length = Int(lws_hdr_custom_length(wsi, field, nameLength))
    guard length >= 0 else { return nil }
    var buffer = [CChar](repeating: 0, count: length + 1)
    guard lws_hdr_custom_copy(wsi, &buffer, Int32(buffer.count), field, nameLength) >= 0 else { return nil }
    return string(buffer)
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

extension RequestReader {
  /// The request target as lws parsed it, with what the decoded path alone cannot show.
  struct Target {
    /// Bytes of path and query, as lws kept them (it cuts both at the target token limit).
    var length: Int
    /// The decoded path holds a NUL that lws left out of its length.
    var hidesNUL: Bool
    /// The request line ended with an HTTP version; a line break decoded from the path
    /// (%0A, %0D) ends the line early and leaves none.
    var hasVersion: Bool
  }

  static func target(_ wsi: OpaquePointer) -> Target? {
    var uri: UnsafeMutablePointer<CChar>?
    var length: Int32 = 0
    guard lws_http_get_uri_and_method(wsi, &uri, &length) >= 0, let uri else { return nil }
    let hasVersion = lws_hdr_total_length(wsi, WSI_TOKEN_HTTP) > 0
    let queryLength = Int(lws_hdr_total_length(wsi, WSI_TOKEN_HTTP_URI_ARGS))
    return Target(
      length: Int(length) + (queryLength > 0 ? queryLength + 1 : 0),
      hidesNUL: hasVersion && endsWithHiddenNUL(wsi, uri, length: Int(length)),
      hasVersion: hasVersion)
  }

  /// lws stores a NUL decoded right after a '/' but leaves it out of the path's length. Inside
  /// the path it shows within the counted bytes; at the end only as a second NUL after the
  /// path, where its terminator is followed by the next fragment: the version, or (after a
  /// skipped byte for the '?') the first query argument.
  private static func endsWithHiddenNUL(
    _ wsi: OpaquePointer, _ uri: UnsafeMutablePointer<CChar>, length: Int
  ) -> Bool {
    guard uri[length + 1] == 0 else { return false }  // the version or the skipped byte follows
    // An argument is at most the target limit long.
    var argument = [CChar](repeating: 0, count: LibWebSocketsContext.maxTargetBytes + 1)
    let count = Int(
      lws_hdr_copy_fragment(wsi, &argument, Int32(argument.count), WSI_TOKEN_HTTP_URI_ARGS, 0))
    if count < 0 { return true }  // no query, and a version never starts with NUL
    if count == 0 { return false }  // an empty first argument cannot be told apart
    return !argument[..<count].elementsEqual(UnsafeBufferPointer(start: uri + length + 2, count: count))
  }

  /// The first header field at least `limit` bytes long (lws cuts longer ones there).
  static func oversizeField(_ wsi: OpaquePointer, limit: Int) -> String? {
    for raw in 0..<WSI_TOKEN_COUNT.rawValue where portfolio_lws_token_is_target(Int32(raw)) == 0 {
      let token = lws_token_indexes(rawValue: raw)
      guard Int(lws_hdr_total_length(wsi, token)) >= limit else { continue }
      let name = lws_token_to_string(token).map { String(cString: $0) } ?? "a header"
      return name.hasSuffix(":") ? String(name.dropLast()) : name
    }
    return nil
  }
}
