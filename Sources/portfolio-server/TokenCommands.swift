import ArgumentParser
import Foundation
import PortfolioCore
import Storage

/// `portfolio-server token create|list|revoke`: access tokens for the API and the stream.
struct TokenCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token", abstract: "Issue, list and revoke access tokens.",
    subcommands: [Create.self, List.self, Revoke.self])

  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Issue a token; it is printed once, alone on standard output.")
    @OptionGroup var options: ConfigOptions
    @Option(help: "The user the token acts for.") var user: String
    @Option(help: "read (GET only), write (also change own wallets) or admin (also users and tokens).")
    var scope: String
    @Option(name: .customLong("name"), help: "A label to tell tokens apart, e.g. phone.") var label: String?
    @Option(help: "Lifetime: \(TokenLifetime.explanation). Without it the token lasts until revoked.")
    var expires: String?

    func run() async throws {
      guard let scope = AccessScope(rawValue: scope) else {
        throw ValidationError("--scope must be read, write or admin, got \"\(scope)\"")
      }
      var expiresAt: Date?
      if let expires {
        guard let seconds = TokenLifetime.seconds(expires) else {
          throw ValidationError("--expires must be \(TokenLifetime.explanation), got \"\(expires)\"")
        }
        expiresAt = Date().addingTimeInterval(Double(seconds))
      }
      let database = try options.openDatabase()
      guard let owner = try UserStore(database).user(named: user) else {
        throw ValidationError("no user named \(user); make one with portfolio-server user create \(user)")
      }
      let issued = try AccessTokenStore(database).issue(
        user: owner.id, scope: scope, name: label, expiresAt: expiresAt)
      print(issued.secret)
      let until = issued.token.expiresAt.map { "until \($0.iso8601)" } ?? "until revoked"
      FileHandle.standardError.write(
        Data(
          ("token \(issued.token.id) for \(owner.name), scope \(scope.rawValue), \(until). "
            + "It is shown only this once: keep it now.\n").utf8))
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
    @OptionGroup var options: ConfigOptions
    @Option(help: "Only this user's tokens.") var user: String?

    func run() async throws {
      let database = try options.openDatabase()
      var owner: UserID?
      if let user {
        guard let found = try UserStore(database).user(named: user) else {
          throw ValidationError("no user named \(user)")
        }
        owner = found.id
      }
      let now = Date()
      var rows = [["ID", "USER", "SCOPE", "PREFIX", "NAME", "STATE", "EXPIRES", "LAST USED"]]
      for token in try AccessTokenStore(database).list(user: owner) {
        let state =
          token.revokedAt != nil ? "revoked" : token.isActive(at: now) ? "active" : "expired"
        rows.append([
          String(token.id), token.userName, token.scope.rawValue, token.prefix, token.name ?? "-", state,
          token.expiresAt?.iso8601 ?? "never", token.lastUsedAt?.iso8601 ?? "never",
        ])
      }
      print(TextTable.render(rows))
    }
  }

  struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Revoke a token; a running server refuses it within seconds.")
    @OptionGroup var options: ConfigOptions
    @Argument(help: "The token's id, as token list shows it.") var id: Int64

    func run() async throws {
      guard let token = try AccessTokenStore(try options.openDatabase()).revoke(id: id) else {
        throw ValidationError("no token with id \(id)")
      }
      print("token \(token.id) of \(token.userName) revoked")
    }
  }
}

extension ConfigOptions {
  /// The configured database, created and migrated if needed.
  func openDatabase() throws -> AppDatabase {
    let config = try load()
    do {
      return try AppDatabase(path: config.databasePath)
    } catch let error as DatabaseUnusable {
      throw CommandFailure.failed(error.description)
    }
  }
}
