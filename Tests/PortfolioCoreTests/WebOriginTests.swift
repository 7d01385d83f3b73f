import Testing

@testable import PortfolioCore

@Suite struct WebOriginTests {
  /// RFC 6454 §4 and §6.2: scheme and host compare in lower case, a default port is the same
  /// origin as none, and the serialization leaves the default port out.
  @Test func spellingsOfOneOriginAreEqual() {
    #expect(WebOrigin(parsing: "https://example.com")?.description == "https://example.com")
    #expect(WebOrigin(parsing: "HTTPS://Example.COM:443") == WebOrigin(parsing: "https://example.com"))
    #expect(WebOrigin(parsing: "http://example.com:80") == WebOrigin(parsing: "http://example.com"))
    #expect(WebOrigin(parsing: "http://example.com:8080")?.description == "http://example.com:8080")
    #expect(WebOrigin(parsing: "http://[::1]:8080")?.description == "http://[::1]:8080")
    #expect(WebOrigin(parsing: "http://127.0.0.1:3000")?.port == 3000)
  }

  @Test func differentSchemesPortsAndHostsDiffer() {
    let origin = WebOrigin(parsing: "https://example.com")
    #expect(origin != WebOrigin(parsing: "http://example.com"))
    #expect(origin != WebOrigin(parsing: "https://example.com:8443"))
    #expect(origin != WebOrigin(parsing: "https://www.example.com"))
    // The default port belongs to the scheme: https on 80 is not http's default.
    #expect(WebOrigin(parsing: "https://example.com:80")?.port == 80)
  }

  @Test func whatIsNotAnOriginIsRefused() {
    for text in [
      "null", "*", "example.com", "ftp://example.com", "https://", "https://example.com/",
      "https://example.com/path", "https://user@example.com", "https://example.com:0",
      "https://example.com:65536", "https://example.com:80a", "https://example.com:", "https://exa mple.com",
      "https://[::1", "https://[zz]", "https://example.com?x", "https://example.com#x",
    ] {
      #expect(WebOrigin(parsing: text) == nil, "\(text)")
    }
  }

  @Test func aHostHeaderNamesTheOriginWithTheScheme() {
    #expect(
      WebOrigin(scheme: "http", authority: "Portfolio.local:8080")?.description
        == "http://portfolio.local:8080")
    #expect(
      WebOrigin(scheme: "https", authority: "portfolio.local:443")?.description == "https://portfolio.local")
    #expect(WebOrigin(scheme: "http", authority: "") == nil)
  }
}
