/// The bytes of a response sent just before the connection closes, written without lws'
/// header helpers: before a request is routed lws has not read its HTTP version yet and would
/// answer `HTTP/1.0`, which WebSocket clients refuse to read.
enum ClosingResponse {
  static func encode(_ response: HTTPResponse) -> [UInt8] {
    var head = "HTTP/1.1 \(response.status) \(reasonPhrase(response.status))\r\n"
    if let contentType = response.contentType { head += "content-type: \(contentType)\r\n" }
    head += "content-length: \(response.body.count)\r\n"
    // Written without lws' helpers, so without the vhost's headers: the same ones here.
    let security = SecurityHeaders.common + [(SecurityHeaders.policyName, SecurityHeaders.apiPolicy)]
    for (name, value) in security + response.headers { head += "\(name): \(value)\r\n" }
    head += "connection: close\r\n\r\n"
    return Array(head.utf8) + response.body
  }

  static func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 400: "Bad Request"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 411: "Length Required"
    case 413: "Content Too Large"
    case 414: "URI Too Long"
    case 431: "Request Header Fields Too Large"
    case 501: "Not Implemented"
    case 503: "Service Unavailable"
    default: ""
    }
  }
}
