import Foundation

/// A release `portfolio-server` in its own process, so its memory and CPU are its own. Its log
/// goes to a file in the run's folder.
final class ServerProcess {
  let port: Int
  let process: Process
  let logPath: String

  /// Starts the server on a free loopback port and waits until `/api/v1/live` answers.
  init(binary: String, database: String, environment: [String: String], logPath: String) async throws {
    port = try Self.freePort()
    self.logPath = logPath
    guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
      throw BenchError("cannot create \(logPath)")
    }
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = ["--port", "\(port)", "--database", database]
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardError = log
    process.standardOutput = log
    try process.run()
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
      guard process.isRunning else {
        throw BenchError("the server exited with \(process.terminationStatus); see \(logPath)")
      }
      if (try? await LoopbackHTTP.get(port: port, path: "/api/v1/live"))?.status == 200 { return }
      try await Task.sleep(for: .milliseconds(50))
    }
    process.terminate()
    throw BenchError("the server did not answer within 30 s; see \(logPath)")
  }

  /// Resident memory in bytes, from /proc.
  var residentBytes: Int {
    guard
      let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
      let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kilobytes * 1024
  }

  /// SIGTERM, then waits for the exit.
  func stop() {
    guard process.isRunning else { return }
    process.terminate()
    process.waitUntilExit()
  }

  /// Binds port 0 on loopback and gives the port back for the server to take.
  static func freePort() throws -> Int {
    let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw BenchError("socket() failed") }
    defer { close(socket) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
        bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
      }
    }
    guard bound else { throw BenchError("no free loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}

extension ServerProcess {
  /// Ethereum alone (a server needs one chain), with no rate limit on the load generators.
  static let ethereumOnly: [String: String] = Dictionary(
    uniqueKeysWithValues: ["SOLANA", "POLYGON", "ARBITRUM", "OPTIMISM", "BASE", "BSC"].map {
      ("\($0)_ENABLED", "false")
    }
      // Prices have a bench of their own; here no public price API is asked. The bench's many
      // stream clients are all one user's.
      + [
        ("RATE_LIMIT_REQUESTS", "0"), ("PRICES_SOURCES", "none"),
        ("SERVER_MAX_STREAM_CONNECTIONS_PER_USER", "100000"),
      ])
}

/// Where the bench's own binaries are: beside this executable.
enum BenchBinaries {
  static func path(_ name: String) -> String {
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    return me.deletingLastPathComponent().appendingPathComponent(name).path
  }
}

/// Raises the open-file limit to the hard limit: thousands of sockets, here and in the server,
/// which inherits it.
enum FileLimit {
  static func raise() -> Int {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    limit.rlim_cur = limit.rlim_max
    setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    return Int(limit.rlim_cur)
  }
}
