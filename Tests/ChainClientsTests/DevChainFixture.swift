import ChainClients
import CurlHTTP
import DevChain
import Foundation

/// A devchain on an ephemeral loopback port and an HTTP client, stopped on every path.
func withDevChain<T>(
  ethereumChainID: UInt64 = 1, _ body: (DevChainServer, HTTPClient) async throws -> T
) async throws -> T {
  let devchain = try DevChainServer(ethereumChainID: ethereumChainID)
  let http = HTTPClient()
  do {
    let result = try await body(devchain, http)
    http.shutdown()
    await devchain.stop()
    return result
  } catch {
    http.shutdown()
    await devchain.stop()
    throw error
  }
}

/// Fast retries so fault tests take milliseconds.
func quickSettings(attempts: Int = 4, breakerThreshold: Int = 50) -> RPCClient.Settings {
  var settings = RPCClient.Settings()
  settings.retry = RetryPolicy(
    maxAttempts: attempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
  settings.breakerThreshold = breakerThreshold
  settings.breakerCoolDown = .milliseconds(300)
  // Far above any answer's time: on a loaded machine devchain may take seconds to answer, and
  // a test that counts faults must not see a timeout in place of one. Tests of timeouts set
  // their own.
  settings.timeout = .seconds(30)
  return settings
}

/// Deterministic distinct EVM addresses.
func evmAddress(_ index: Int) -> String {
  "0x" + String(repeating: "0", count: 24) + String(format: "%016x", index + 1)
}
