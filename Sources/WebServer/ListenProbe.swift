import Foundation

/// Binds the server's address once before libwebsockets does, so a port in use or an address
/// this machine lacks is told in one plain sentence with the system's reason, instead of
/// libwebsockets' own lines and a guess at the cause.
enum ListenProbe {
  static func check(host: String, port: Int) throws(WebServerStartError) {
    // Port 0 takes whatever is free: nothing to learn beforehand.
    guard port != 0 else { return }
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
    // As the server listens: IPv4 only unless the host is an IPv6 address.
    hints.ai_family = host.contains(":") ? AF_UNSPEC : AF_INET
    var results: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(host, String(port), &hints, &results)
    guard status == 0, let first = results else {
      throw WebServerStartError(
        description: "cannot listen on \(host):\(port): \(String(cString: gai_strerror(status)))")
    }
    defer { freeaddrinfo(results) }
    let socket = Foundation.socket(
      first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
    guard socket >= 0 else { return }
    defer { close(socket) }
    // As libwebsockets binds: a port held only by connections closing down is free to take.
    var on: Int32 = 1
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    guard bind(socket, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 else { return }
    let code = errno
    throw WebServerStartError(description: "cannot listen on \(host):\(port): \(reason(code, port: port))")
  }

  private static func reason(_ code: Int32, port: Int) -> String {
    let system = String(cString: strerror(code))
    switch code {
    case EADDRINUSE: return "the port is in use by another program (\(system))"
    case EADDRNOTAVAIL: return "this machine has no such address (\(system))"
    case EACCES where port < 1024: return "ports below 1024 need privileges (\(system))"
    default: return system
    }
  }
}
