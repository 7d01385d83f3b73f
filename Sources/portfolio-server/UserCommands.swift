import ArgumentParser
import Foundation
import PortfolioCore
import Storage

/// `portfolio-server user create|list|delete`: the people who share this server.
struct UserCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "user", abstract: "Create, list and remove users.",
    subcommands: [Create.self, List.self, Delete.self])

  struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add a user.")
    @OptionGroup var options: ConfigOptions
    @Argument(help: "1 to 64 letters, digits, '.', '_', '-' or '@'.") var name: String

    func run() async throws {
      let database = try options.openDatabase()
      do {
        let user = try UserStore(database).create(name: name)
        print("user \(user.name) created (id \(user.id))")
        print("give them a token: portfolio-server token create --user \(user.name) --scope write")
      } catch let error as InvalidUserName {
        throw ValidationError(error.description)
      } catch let error as UserExists {
        throw ValidationError(error.description)
      }
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List users with their wallets and tokens.")
    @OptionGroup var options: ConfigOptions

    func run() async throws {
      let users = UserStore(try options.openDatabase())
      let counts = try users.counts()
      var rows = [["ID", "NAME", "WALLETS", "ACTIVE TOKENS", "CREATED"]]
      for user in try users.all() {
        let count = counts[user.id]
        rows.append([
          user.id.description, user.name, String(count?.wallets ?? 0), String(count?.tokens ?? 0),
          user.createdAt.iso8601,
        ])
      }
      print(TextTable.render(rows))
    }
  }

  struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Remove a user with their wallets, history and tokens.")
    @OptionGroup var options: ConfigOptions
    @Argument(help: "The user's name.") var name: String

    func run() async throws {
      let users = UserStore(try options.openDatabase())
      guard let user = try users.user(named: name) else { throw ValidationError("no user named \(name)") }
      _ = try users.delete(id: user.id)
      print("user \(user.name) removed, with their wallets and tokens")
    }
  }
}

/// Columns padded to their widest cell.
enum TextTable {
  static func render(_ rows: [[String]]) -> String {
    let widths = rows.reduce(into: [Int]()) { widths, row in
      for (index, cell) in row.enumerated() {
        if index < widths.count {
          widths[index] = max(widths[index], cell.count)
        } else {
          widths.append(cell.count)
        }
      }
    }
    return rows.map { row in
      row.enumerated().map { index, cell in
        index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }.joined(separator: "\n")
  }
}
