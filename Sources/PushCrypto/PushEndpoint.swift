public import Foundation

/// Checks on the push resource URL a subscription names, and the origin VAPID signs for.
public enum PushEndpoint {
  /// Reads the `endpoint` string of a subscription, with the checks of `validate`.
  public static func parse(_ text: String, allowingInsecure: Bool) throws(PushCryptoError) -> URL {
    guard let url = URL(string: text) else { throw .invalidEndpoint("\(text) is not a URL") }
    try validate(url, allowingInsecure: allowingInsecure)
    return url
  }

  /// Refuses anything but an absolute https URL with a host; plain http only when the caller
  /// says so, for a local test push service.
  public static func validate(_ url: URL, allowingInsecure: Bool) throws(PushCryptoError) {
    guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
      let scheme = components.scheme?.lowercased()
    else { throw .invalidEndpoint("\(url.absoluteString) is not an absolute URL") }
    switch scheme {
    case "https": break
    case "http" where allowingInsecure: break
    case "http": throw .invalidEndpoint("\(url.absoluteString) is not https")
    default: throw .invalidEndpoint("\(url.absoluteString) has scheme \(scheme), not https")
    }
    guard let host = components.host, !host.isEmpty else {
      throw .invalidEndpoint("\(url.absoluteString) has no host")
    }
    guard components.user == nil, components.password == nil else {
      throw .invalidEndpoint("\(url.absoluteString) carries credentials")
    }
  }

  /// The RFC 6454 origin, scheme://host[:port] without a default port: the JWT `aud` the push
  /// service compares with its own origin (RFC 8292 §2).
  public static func origin(of url: URL) throws(PushCryptoError) -> String {
    guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
      let scheme = components.scheme?.lowercased(),
      var host = components.host?.lowercased(), !host.isEmpty
    else { throw .invalidEndpoint("\(url.absoluteString) has no origin") }
    // An IPv6 literal keeps its brackets in an origin, whichever way Foundation returns it.
    if host.contains(":") && !host.hasPrefix("[") { host = "[\(host)]" }
    let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
    if let port = components.port, port != defaultPort {
      return "\(scheme)://\(host):\(port)"
    }
    return "\(scheme)://\(host)"
  }
}
