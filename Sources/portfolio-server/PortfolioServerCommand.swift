import ArgumentParser
import CAllocator
import Foundation
import Logging
import PortfolioApp
import PortfolioConfig
import Storage
import WebServer

/// `portfolio-server`: `serve` (the default) runs the server; `migrate` prepares the database;
/// `backup` and `restore` copy it out and back;
/// `config` prints the resolved configuration; `user` and `token` manage who may use it;
/// `wallet` adds wallets before a start.
@main
struct PortfolioServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "portfolio-server",
    abstract: "Tracks crypto wallets on EVM chains and Solana and streams their balances live.",
    version: PortfolioServer.version,
    subcommands: [
      Serve.self, Migrate.self, Backup.self, Restore.self, ShowConfig.self, UserCommand.self,
      TokenCommand.self,
      WalletCommand.self,
    ],
    defaultSubcommand: Serve.self)
}

/// Flags shared by every subcommand; each one wins over the file and the environment.
struct ConfigOptions: ParsableArguments {
  @Option(help: "Address to listen on.") var host: String?
  @Option(help: "Port to listen on (0 picks a free one).") var port: Int?
  @Option(help: "SQLite database file.") var database: String?
  @Option(help: "A YAML file overriding config/default.yaml's values.") var config: String?
  @Option(
    name: .customLong("set"), help: "Set any key, e.g. --set chains.ethereum.rpc_url=http://127.0.0.1:8545")
  var settings: [String] = []

  func load() throws -> AppConfig {
    let (file, environment, overrides) = try layers()
    do {
      return try ConfigLoader.load(file: file, environment: environment, overrides: overrides)
    } catch {
      throw CommandFailure.configuration(error.description)
    }
  }

  func layers() throws -> (file: String?, environment: [String: String], overrides: [String: String]) {
    var overrides: [String: String] = [:]
    for setting in settings {
      guard let equals = setting.firstIndex(of: "=") else {
        throw CommandFailure.configuration("--set takes key=value, got \"\(setting)\"")
      }
      overrides[String(setting[..<equals])] = String(setting[setting.index(after: equals)...])
    }
    if let host { overrides["server.host"] = host }
    if let port { overrides["server.port"] = String(port) }
    if let database { overrides["database.url"] = database }
    let environment = ProcessInfo.processInfo.environment
    return (config ?? environment["PORTFOLIO_CONFIG"], environment, overrides)
  }
}

struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Run the server (the default).")
  @OptionGroup var options: ConfigOptions

  func run() async throws {
    // Before the server starts its threads, which would each take an arena.
    portfolio_configure_allocator()
    let config = try options.load()
    LogSetup.bootstrap(format: config.logFormat, level: config.logLevel)
    let logger = Logger(label: "portfolio")
    let server: PortfolioServer
    do {
      server = try PortfolioServer(config: config, logger: logger)
    } catch let error as ConfigError {
      // Files the configuration names are read here: fail as every bad value does.
      throw CommandFailure.configuration(error.description)
    } catch let error as DatabaseUnusable {
      throw CommandFailure.cannotStart(error.description)
    } catch let error as DatabaseInUse {
      throw CommandFailure.cannotStart(error.description)
    } catch let error as WebServerStartError {
      throw CommandFailure.cannotStart(error.description)
    } catch {
      logger.critical("cannot start: \(error)")
      throw ExitCode.failure
    }
    try await server.run(handlingSignals: true)
    if server.failedChainCheck { throw ExitCode.failure }
  }
}

struct Migrate: AsyncParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Create or upgrade the database, then exit.")
  @OptionGroup var options: ConfigOptions

  func run() async throws {
    let config = try options.load()
    do {
      try PortfolioServer.migrate(databasePath: config.databasePath)
    } catch let error as DatabaseUnusable {
      throw CommandFailure.cannotStart(error.description)
    }
    print("database ready: \(config.databasePath)")
  }
}

struct ShowConfig: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config",
    abstract: "Print the resolved configuration and the environment variable for each key.")
  @OptionGroup var options: ConfigOptions

  func run() async throws {
    _ = try options.load()
    let (file, environment, overrides) = try options.layers()
    // Secrets (the price API's key) are shown as set or not, never printed.
    let values = ConfigLoader.redacted(
      try ConfigLoader.values(file: file, environment: environment, overrides: overrides))
    for key in values.keys.sorted() {
      let names = ConfigSources.environmentNames(for: key).joined(separator: " or ")
      print("\(key) = \(values[key] ?? "")    # \(names)")
    }
  }
}
