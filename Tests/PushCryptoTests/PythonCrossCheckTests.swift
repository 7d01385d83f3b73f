import Crypto
import Foundation
import PushCrypto
import Testing

/// Runs Tests/e2e/helpers, which use Python's `cryptography` package, on our output and on the
/// RFCs' examples: a second implementation that shares no code with this one. Skipped where
/// python3 or `cryptography` is missing; the Swift suites stand on their own.
@Suite(.enabled(if: Python.hasCryptography, "needs python3 with the cryptography package"))
struct PythonCrossCheckTests {
  @Test func pythonAcceptsTheRFC8292ExampleAndOurAuthorization() throws {
    let rfc = "vapid t=\(PublishedVectors.RFC8292.token), k=\(PublishedVectors.RFC8292.publicKey)"
    let example = try Python.run(
      "verify_vapid.py", ["--audience", "https://push.example.net", "--now", "1453520000", rfc])
    #expect(example.status == 0, "\(example.output)")

    let key = VAPIDKeyPair.generate()
    let ours = try VAPIDToken.authorization(
      endpoint: try #require(URL(string: "https://push.example.net:8443/p/1")),
      subject: "mailto:ops@example.com", key: key)
    let result = try Python.run("verify_vapid.py", ["--audience", "https://push.example.net:8443", ours])
    #expect(result.status == 0, "\(result.output)")
    #expect(result.output.contains(#""sub": "mailto:ops@example.com""#))

    let otherKey = VAPIDKeyPair.generate().publicKeyBase64URL
    let forged = ours.replacingOccurrences(of: key.publicKeyBase64URL, with: otherKey)
    #expect(try Python.run("verify_vapid.py", [forged]).status == 1)
  }

  @Test func pythonOpensTheRFC8291ExampleAndOurMessages() throws {
    let rfc = PublishedVectors.RFC8291.self
    let example = try Python.run(
      "decrypt_webpush.py", ["--private", rfc.uaPrivate, "--auth", rfc.authSecret, rfc.body])
    #expect(example.status == 0)
    #expect(example.output == rfc.plaintext)

    let userAgent = P256.KeyAgreement.PrivateKey()
    let auth = Data((0..<16).map { _ in UInt8.random(in: 0...255) })
    let keys = try PushSubscriptionKeys(
      p256dhBytes: userAgent.publicKey.x963Representation, authBytes: auth)
    let payload = #"{"title":"SOL fell 8%","wallet":"main"}"#
    let body = try WebPushEncryption.encrypt(Data(payload.utf8), for: keys)
    let ours = try Python.run(
      "decrypt_webpush.py",
      // Base64url text may begin with "-": joined to its option, and after "--", argparse
      // cannot take it for an option.
      [
        "--private=\(Base64URL.encode(userAgent.rawRepresentation))", "--auth=\(Base64URL.encode(auth))",
        "--",
        Base64URL.encode(body),
      ])
    #expect(ours.status == 0)
    #expect(ours.output == payload)
  }
}

enum Python {
  static let helpers = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("e2e/helpers")

  static let hasCryptography: Bool =
    (try? execute(["python3", "-c", "import cryptography"]).status) == 0

  static func run(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try execute(["python3", helpers.appendingPathComponent(script).path] + arguments)
  }

  private static func execute(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }
}
