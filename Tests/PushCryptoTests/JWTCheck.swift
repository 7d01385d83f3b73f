import Crypto
import Foundation

/// Reads and verifies an ES256 JWT the way a push service does: from the 65-byte public point in
/// `k`, with swift-crypto's verifying key, never through the signer's code.
struct JWTCheck {
  let header: [String: String]
  let claims: [String: Any]
  let signatureIsValid: Bool

  init(token: String, publicKey: Data) throws {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 3,
      let headerBytes = Base64URLReference.decode(parts[0]),
      let claimBytes = Base64URLReference.decode(parts[1]),
      let signature = Base64URLReference.decode(parts[2])
    else { throw UserAgentDecryption.Failure(description: "not a JWT") }
    header = try JSONDecoder().decode([String: String].self, from: headerBytes)
    claims = try JSONSerialization.jsonObject(with: claimBytes) as? [String: Any] ?? [:]
    let key = try P256.Signing.PublicKey(x963Representation: publicKey)
    let ecdsa = try P256.Signing.ECDSASignature(rawRepresentation: signature)
    signatureIsValid = key.isValidSignature(ecdsa, for: Data("\(parts[0]).\(parts[1])".utf8))
  }

  /// Splits `vapid t=<jwt>, k=<key>` into its two parameters.
  static func parameters(ofAuthorization value: String) -> (token: String, key: String)? {
    guard value.hasPrefix("vapid ") else { return nil }
    var found: [String: String] = [:]
    for part in value.dropFirst("vapid ".count).split(separator: ",") {
      let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
      if pair.count == 2 { found[String(pair[0])] = String(pair[1]) }
    }
    guard let token = found["t"], let key = found["k"] else { return nil }
    return (token, key)
  }
}
