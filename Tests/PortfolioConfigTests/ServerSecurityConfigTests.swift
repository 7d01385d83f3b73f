import Foundation
import PortfolioCore
import Testing

@testable import PortfolioConfig

@Suite struct ServerSecurityConfigTests {
  @Test func noOriginIsListedAndTLSIsOffByDefault() throws {
    let config = try ConfigLoader.load(environment: [:])
    #expect(config.server.corsAllowedOrigins.isEmpty)
    #expect(config.server.tls == nil)
  }

  @Test func originsAreReadExactlyAndInCanonicalForm() throws {
    let config = try ConfigLoader.load(environment: [
      "SERVER_CORS_ALLOWED_ORIGINS":
        " https://App.Example.com:443, http://localhost:3000,,https://app.example.com"
    ])
    #expect(
      config.server.corsAllowedOrigins.map(\.description) == [
        "https://app.example.com", "http://localhost:3000",
      ])
  }

  @Test func theShortEnvironmentNamesWorkAndTheFullOnesWin() throws {
    let short = try ConfigLoader.load(environment: ["CORS_ALLOWED_ORIGINS": "https://a.example"])
    #expect(short.server.corsAllowedOrigins.map(\.description) == ["https://a.example"])
    let both = try ConfigLoader.load(environment: [
      "CORS_ALLOWED_ORIGINS": "https://a.example", "SERVER_CORS_ALLOWED_ORIGINS": "https://b.example",
    ])
    #expect(both.server.corsAllowedOrigins.map(\.description) == ["https://b.example"])
    #expect(ConfigSources.environmentNames(for: "server.tls_cert") == ["SERVER_TLS_CERT", "TLS_CERT"])
    #expect(ConfigSources.environmentNames(for: "server.tls_key") == ["SERVER_TLS_KEY", "TLS_KEY"])
    #expect(ConfigSources.environmentNames(for: "server.port") == ["SERVER_PORT"])
  }

  @Test func aWildcardOrAPathIsRefusedNamingTheKey() {
    for (value, says) in [
      ("*", "list each origin exactly"), ("null", "list each origin exactly"),
      ("https://a.example/", "did you mean https://a.example?"), ("a.example", "is not an origin"),
    ] {
      #expect {
        try ConfigLoader.load(environment: ["CORS_ALLOWED_ORIGINS": "https://ok.example,\(value)"])
      } throws: { error in
        guard let error = error as? ConfigError else { return false }
        return error.key == "server.cors_allowed_origins" && error.message.contains(says)
      }
    }
  }

  @Test func tlsTakesBothFilesAndNamesTheOneAtFault() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let cert = directory.appendingPathComponent("c.pem").path
    let key = directory.appendingPathComponent("k.pem").path
    try "x".write(toFile: cert, atomically: true, encoding: .utf8)
    try "x".write(toFile: key, atomically: true, encoding: .utf8)

    let config = try ConfigLoader.load(environment: ["TLS_CERT": cert, "TLS_KEY": key])
    #expect(config.server.tls == AppConfig.TLSFiles(certificatePath: cert, privateKeyPath: key))
    let cases: [([String: String], String, String)] = [
      (["TLS_CERT": cert], "server.tls_key", "required when server.tls_cert is set"),
      (["SERVER_TLS_KEY": key], "server.tls_cert", "required when server.tls_key is set"),
      (["TLS_CERT": cert + ".missing", "TLS_KEY": key], "server.tls_cert", "no file at"),
      (["TLS_CERT": cert, "TLS_KEY": directory.path], "server.tls_key", "is a directory"),
    ]
    for (environment, key, says) in cases {
      #expect {
        try ConfigLoader.load(environment: environment)
      } throws: { error in
        guard let error = error as? ConfigError else { return false }
        return error.key == key && error.message.contains(says)
      }
    }
  }
}
