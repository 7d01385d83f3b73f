import CWebSockets
import Foundation

/// The error a failed start reports, with what libwebsockets could not do.
public struct WebServerStartError: Error, CustomStringConvertible, Sendable {
  public let description: String
}

/// Owns one `lws_context` and every C string and struct it points into; `deinit` destroys the
/// context before freeing the memory it references.
final class LibWebSocketsContext {
  static let protocolName = "portfolio"
  static let vhostName = "portfolio"
  /// lws' header space per request. A request whose headers overflow it is dropped by lws
  /// without an answer, so the limits below stay well inside it and get a 414 or 431.
  static let headerSpace = 16 * 1024
  /// A request target (path and query) this long is refused with 414; lws cuts it here.
  static let maxTargetBytes = 8 * 1024
  /// A header field this long is refused with 431; lws cuts it here.
  static let maxFieldBytes = 4 * 1024

  let pointer: OpaquePointer
  private let memory: CAllocations

  /// - Parameter user: handed back by `lws_context_user`, how the C callback finds Swift state.
  init(
    options: WebServerOptions, user: UnsafeMutableRawPointer
  ) throws {
    let memory = CAllocations()
    var info: lws_context_creation_info
    do {
      info = try Self.creationInfo(options: options, memory: memory)
    } catch {
      throw WebServerStartError(description: "out of memory while starting the server")
    }
    info.user = user
    guard let created = lws_create_context(&info) else {
      let tls = options.tls == nil ? "" : ", or TLS cannot start with the certificate and key given"
      throw WebServerStartError(
        description: "cannot listen on \(options.host):\(options.port): the address is in use, "
          + "not an address of this machine, or not permitted\(tls)")
    }
    self.pointer = created
    self.memory = memory
  }

  private static func creationInfo(
    options: WebServerOptions, memory: CAllocations
  ) throws -> lws_context_creation_info {
    // One protocol serves HTTP and WebSocket: upgrades without a subprotocol bind to index 0.
    var handler = lws_protocols()
    handler.name = try memory.string(protocolName)
    handler.callback = serviceCallback
    // Per connection: client messages are small, and longer ones arrive in fragments that are
    // assembled, so a small buffer costs nothing but saves kilobytes on each of thousands. It
    // stays above 125 bytes, the largest control frame, which lws handles in one piece.
    handler.rx_buffer_size = 256
    // What lws sends in one system call, which it otherwise takes from the receive buffer's
    // size: writes of large answers and of frames to many subscribers stay as they were.
    handler.tx_packet_size = 1024
    let protocols = try memory.values(lws_protocols(), count: 2)
    protocols[0] = handler

    // Files come from lws' own mount; a path with no file falls through to our callback
    // (the mount's `protocol`), which routes the API and answers 404 as problem+json.
    var mounts: UnsafeMutablePointer<lws_http_mount>?
    if let directory = options.staticDirectory {
      var mount = lws_http_mount()
      mount.mountpoint = try memory.string("/")
      mount.mountpoint_len = 1
      mount.origin = try memory.string(URL(fileURLWithPath: directory).standardizedFileURL.path)
      mount.def = try memory.string("index.html")
      mount.protocol = try memory.string(protocolName)
      mount.origin_protocol = UInt8(LWSMPRO_FILE.rawValue)
      portfolio_lws_mount_set_cache(&mount, 0)
      mounts = try memory.values(mount)
    }

    // Idle WebSocket peers are pinged, and dropped when the ping goes unanswered.
    var retry = lws_retry_bo_t()
    retry.secs_since_valid_ping = 30
    retry.secs_since_valid_hangup = 60

    var info = lws_context_creation_info()
    info.port = Int32(options.port)
    info.iface = try memory.string(options.host)
    info.protocols = UnsafePointer(protocols)
    info.mounts = UnsafePointer(mounts)
    info.gid = -1
    info.uid = -1
    info.options =
      portfolio_lws_option_fail_unable_to_bind | portfolio_lws_option_validate_utf8
      | portfolio_lws_option_fallback_to_raw
    if !options.host.contains(":") { info.options |= portfolio_lws_option_disable_ipv6 }
    info.max_http_header_data = UInt16(headerSpace)
    let limits = try memory.values(lws_token_limits())
    portfolio_lws_token_limits_fill(limits, UInt16(maxFieldBytes), UInt16(maxTargetBytes))
    info.token_limits = UnsafePointer(limits)
    // A connection holds a header table from its first byte until its headers are complete;
    // with every table taken, new clients wait for one. A pool far above the slow peers a
    // server meets, and a short idle limit on each table, keep trickling peers from starving
    // everyone else (tables are allocated on demand, so the pool costs nothing when idle).
    info.max_http_header_pool = 1024
    info.timeout_secs_ah_idle = 5
    info.keepalive_timeout = Int32(options.keepAliveTimeoutSeconds)
    info.timeout_secs = 30
    info.retry_and_idle_policy = UnsafePointer(try memory.values(retry))
    info.vhost_name = try memory.string(vhostName)
    info.headers = try SecurityHeaders.vhostList(memory: memory)
    if let tls = options.tls { try enableTLS(tls, in: &info, memory: memory) }
    return info
  }

  /// The port actually bound, which differs from the asked one when that was 0.
  var listenPort: Int {
    guard let vhost = lws_get_vhost_by_name(pointer, Self.vhostName) else { return 0 }
    return Int(lws_get_vhost_listen_port(vhost))
  }

  deinit {
    lws_context_destroy(pointer)
    memory.freeAll()
  }
}
