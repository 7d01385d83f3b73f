import CWebSockets

extension LibWebSocketsContext {
  /// HTTPS and WSS on the same port, through lws' OpenSSL backend. Only HTTP/1.1 is offered in
  /// ALPN: the server writes HTTP/1.1 heads itself, and WebSockets upgrade from HTTP/1.1.
  static func enableTLS(
    _ tls: TLSCredentials, in info: inout lws_context_creation_info, memory: CAllocations
  ) throws {
    info.options |= portfolio_lws_option_ssl_global_init
    info.ssl_cert_filepath = try memory.string(tls.certificatePath)
    info.ssl_private_key_filepath = try memory.string(tls.privateKeyPath)
    info.alpn = try memory.string("http/1.1")
  }
}
