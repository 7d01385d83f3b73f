import CCurl
import Foundation

/// Whether a host name resolves to public addresses only: checked when a user registers a URL,
/// so a mistake is refused at once. The connection itself is checked again as it is made
/// (`HTTPClientOptions.onlyPublicAddresses`), since a name may resolve elsewhere later.
public enum PublicAddress {
  public enum Verdict: Sendable, Equatable {
    case isPublic
    /// The name resolves to this non-public address.
    case isPrivate(String)
    /// The name does not resolve.
    case unresolvable(String)
  }

  /// Resolves `host` (a name, an IPv4 address or a bracketed IPv6 address) and judges every
  /// address it has. Blocks while the name is looked up.
  public static func check(host: String) -> Verdict {
    let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var results: UnsafeMutablePointer<addrinfo>?
    let status = getaddrinfo(name, nil, &hints, &results)
    guard status == 0, let first = results else {
      return .unresolvable(String(cString: gai_strerror(status)))
    }
    defer { freeaddrinfo(results) }
    var entry: UnsafeMutablePointer<addrinfo>? = first
    while let current = entry {
      if let address = current.pointee.ai_addr, portfolio_sockaddr_is_private(address) != 0 {
        return .isPrivate(Self.text(address, length: current.pointee.ai_addrlen))
      }
      entry = current.pointee.ai_next
    }
    return .isPublic
  }

  private static func text(_ address: UnsafeMutablePointer<sockaddr>, length: socklen_t) -> String {
    var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
    guard getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
      return "?"
    }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
