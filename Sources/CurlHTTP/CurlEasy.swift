import CCurl

/// Owns one easy handle. Handles are reused between transfers (after `reset`), which keeps
/// libcurl's per-handle caches warm; connections themselves live in the multi handle's pool.
final class CurlEasy {
  let handle: UnsafeMutableRawPointer

  init?() {
    guard let handle = curl_easy_init() else { return nil }
    self.handle = handle
  }

  deinit { curl_easy_cleanup(handle) }

  func reset() { curl_easy_reset(handle) }

  /// Points the handle at a transfer; false when libcurl refuses an option.
  func configure(_ transfer: CurlTransfer, options: HTTPClientOptions) -> Bool {
    let request = transfer.request
    let user = Unmanaged.passUnretained(transfer).toOpaque()
    var ok = true
    func check(_ code: CURLcode) { if code != CURLE_OK { ok = false } }
    check(portfolio_curl_setopt_string(handle, CURLOPT_URL, request.url))
    check(portfolio_curl_setopt_pointer(handle, CURLOPT_PRIVATE, user))
    check(portfolio_curl_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
    check(portfolio_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, user))
    check(portfolio_curl_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader))
    check(portfolio_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, user))
    check(portfolio_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, transfer.errorBuffer))
    check(portfolio_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
    // A cancelled or shut-down request must not wait for a slow name lookup to end: libcurl
    // otherwise joins its resolver thread when the handle is removed.
    check(portfolio_curl_setopt_long(handle, CURLOPT_QUICK_EXIT, 1))
    // "" asks for every encoding this libcurl can decode (gzip, deflate, br, zstd).
    check(portfolio_curl_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, ""))
    check(portfolio_curl_setopt_long(handle, CURLOPT_HTTP_VERSION, portfolio_curl_http_version_2tls))
    check(portfolio_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
    check(portfolio_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
    check(portfolio_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, options.connectTimeout.milliseconds))
    check(
      portfolio_curl_setopt_long(
        handle, CURLOPT_TIMEOUT_MS, (request.timeout ?? options.requestTimeout).milliseconds))
    check(portfolio_curl_setopt_string(handle, CURLOPT_USERAGENT, options.userAgent))
    check(portfolio_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1))
    // Only http and https, also after a redirect: a node must not send us to file:// or smtp://.
    check(portfolio_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
    check(portfolio_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
    if request.method != "GET" || !request.body.isEmpty {
      // The body is read from the request as libcurl sends it (and again if it must resend):
      // no copy of a large body is made for libcurl to point at.
      check(portfolio_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method))
      check(portfolio_curl_setopt_long(handle, CURLOPT_POST, 1))
      check(portfolio_curl_setopt_callback(handle, CURLOPT_READFUNCTION, curlReadBody))
      check(portfolio_curl_setopt_pointer(handle, CURLOPT_READDATA, user))
      check(portfolio_curl_setopt_seek_callback(handle, CURLOPT_SEEKFUNCTION, curlSeekBody))
      check(portfolio_curl_setopt_pointer(handle, CURLOPT_SEEKDATA, user))
      check(portfolio_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
    }
    if options.onlyPublicAddresses {
      check(portfolio_curl_only_public_addresses(handle, transfer.refusedAddress))
    }
    // No "Expect: 100-continue": it costs a round trip per POST.
    var list: UnsafeMutablePointer<curl_slist>? = curl_slist_append(nil, "Expect:")
    for (name, value) in request.headers {
      list = curl_slist_append(list, "\(name): \(value)")
    }
    transfer.headerList = list
    check(portfolio_curl_setopt_pointer(handle, CURLOPT_HTTPHEADER, list))
    return ok
  }

  var responseCode: Int {
    var code = 0
    _ = portfolio_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
    return code
  }
}

extension Duration {
  /// Whole milliseconds, at least 1, for libcurl's `_MS` options.
  var milliseconds: Int {
    max(1, Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000))
  }
}
