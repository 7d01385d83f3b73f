import ArgumentParser
import Foundation

/// Why a command cannot run, said in one line on standard error (no usage text after it, since
/// the command line was fine), and the exit status that goes with it.
enum CommandFailure {
  /// A bad configuration value, named by its key: status 2, as for any misuse.
  static func configuration(_ message: String) -> ExitCode {
    say(message)
    return ExitCode(2)
  }

  /// Something outside the configuration: a database that cannot be used, a port in use.
  static func cannotStart(_ message: String) -> ExitCode {
    say("cannot start: \(message)")
    return .failure
  }

  /// A command that could not do its work: a backup not written, a database refused.
  static func failed(_ message: String) -> ExitCode {
    say(message)
    return .failure
  }

  private static func say(_ message: String) {
    FileHandle.standardError.write(Data("portfolio-server: \(message)\n".utf8))
  }
}
