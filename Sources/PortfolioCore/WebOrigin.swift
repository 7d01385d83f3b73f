/// A web origin, `scheme://host[:port]` (RFC 6454), in one canonical spelling: scheme and host
/// in lower case, the scheme's default port left out. Two spellings of the same origin compare
/// equal once parsed, so `Origin` headers, `Host` headers and configured lists can be matched.
public struct WebOrigin: Hashable, Sendable, CustomStringConvertible {
  /// `http` or `https`.
  public let scheme: String
  /// A name, an IPv4 address, or an IPv6 address in brackets.
  public let host: String
  /// nil for the scheme's default port.
  public let port: Int?

  /// Parses an origin as a browser sends it in `Origin`: nothing after the authority, no user
  /// info. nil for anything else, including the opaque origin `null`.
  public init?(parsing text: String) {
    guard let separator = text.range(of: "://") else { return nil }
    self.init(scheme: String(text[..<separator.lowerBound]), authority: String(text[separator.upperBound...]))
  }

  /// The origin a request reached: the scheme it came over and its `Host` header.
  public init?(scheme: String, authority: String) {
    let scheme = scheme.lowercased()
    guard scheme == "http" || scheme == "https", !authority.isEmpty else { return nil }
    let (host, portText) = Self.split(authority)
    guard let host, Self.isValidHost(host) else { return nil }
    var port: Int?
    if let portText {
      guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCIIDigit),
        let number = Int(portText), (1...65535).contains(number)
      else { return nil }
      port = number == (scheme == "https" ? 443 : 80) ? nil : number
    }
    self.scheme = scheme
    self.host = host.lowercased()
    self.port = port
  }

  public var description: String {
    port.map { "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
  }

  /// Host and port text; an IPv6 host keeps its brackets.
  private static func split(_ authority: String) -> (host: String?, port: String?) {
    if authority.hasPrefix("[") {
      guard let close = authority.firstIndex(of: "]") else { return (nil, nil) }
      let host = String(authority[...close])
      let rest = authority[authority.index(after: close)...]
      if rest.isEmpty { return (host, nil) }
      guard rest.first == ":" else { return (nil, nil) }
      return (host, String(rest.dropFirst()))
    }
    guard let colon = authority.lastIndex(of: ":") else { return (authority, nil) }
    return (String(authority[..<colon]), String(authority[authority.index(after: colon)...]))
  }

  /// Letters, digits, dots, hyphens and underscores, or a bracketed IPv6 address: no path,
  /// query, fragment, user info or white space can hide in it.
  private static func isValidHost(_ host: String) -> Bool {
    if host.hasPrefix("[") {
      let inner = host.dropFirst().dropLast()
      return host.hasSuffix("]") && !inner.isEmpty
        && inner.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
    return !host.isEmpty
      && host.allSatisfy {
        ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "-" || $0 == "_"
      }
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
