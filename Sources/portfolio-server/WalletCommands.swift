import ArgumentParser
import Foundation
import PortfolioCore
import Storage

/// `portfolio-server wallet add|list`: wallets written straight into the database, for scripts
/// that set a server up before it starts (a running server learns of them when restarted;
/// while it runs, use the REST API).
struct WalletCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "wallet", abstract: "Add and list wallets while the server is stopped.",
    subcommands: [Add.self, List.self])

  struct Add: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Track a wallet.")
    @OptionGroup var options: ConfigOptions
    @Option(help: "An enabled chain, e.g. ethereum or solana.") var chain: String
    @Option(help: "The address (EIP-55 checked on EVM chains, base58 on Solana).") var address: String
    @Option(help: "A label.") var label: String?
    @Option(help: "The user who tracks it; the first user by default.") var user: String?
    @Flag(help: "Succeed quietly when the user already tracks this address.") var ifMissing = false

    func run() async throws {
      let config = try options.load()
      let name = ChainName(parsing: chain)
      guard let settings = config.chains[name] else {
        let known = config.chains.keys.map(\.rawValue).sorted().joined(separator: ", ")
        throw ValidationError("no enabled chain \(name); enabled chains: \(known)")
      }
      let canonical: String
      do {
        canonical = try WalletAddress.canonical(
          address.trimmingCharacters(in: .whitespaces), on: settings.chain)
      } catch {
        throw ValidationError("invalid \(name) address: \(error.description)")
      }
      let database = try options.openDatabase()
      let owner = try WalletCommand.user(user, in: database)
      let now = Date()
      let wallet = Wallet(
        owner: owner.id, chain: name, address: canonical, label: label, createdAt: now, updatedAt: now)
      do {
        let added = try WalletStore(database).add(wallet)
        print("wallet \(added.id.uuidString.lowercased()) added for \(owner.name): \(name) \(canonical)")
      } catch let exists as WalletExists {
        let id = exists.existing.id.uuidString.lowercased()
        guard ifMissing else {
          throw ValidationError("\(owner.name) already tracks \(name) \(canonical) as \(id)")
        }
        print("wallet \(id) already tracked by \(owner.name): \(name) \(canonical)")
      }
    }
  }

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List a user's wallets.")
    @OptionGroup var options: ConfigOptions
    @Option(help: "The user; the first user by default.") var user: String?

    func run() async throws {
      let database = try options.openDatabase()
      let owner = try WalletCommand.user(user, in: database)
      var rows = [["ID", "CHAIN", "ADDRESS", "LABEL"]]
      for wallet in try WalletStore(database).all() where wallet.owner == owner.id {
        rows.append([
          wallet.id.uuidString.lowercased(), wallet.chain.rawValue, wallet.address, wallet.label ?? "",
        ])
      }
      print(TextTable.render(rows))
    }
  }

  static func user(_ name: String?, in database: AppDatabase) throws -> User {
    let users = UserStore(database)
    if let name {
      guard let found = try users.user(named: name) else { throw ValidationError("no user named \(name)") }
      return found
    }
    guard let first = try users.firstUser() else {
      throw ValidationError("no users yet; make one with portfolio-server user create NAME")
    }
    return first
  }
}
