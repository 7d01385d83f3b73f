import Foundation

/// Fresh bytes from the system's cryptographic generator, for secrets and salts.
func randomBytes(_ count: Int) -> Data {
  var generator = SystemRandomNumberGenerator()
  return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
}
