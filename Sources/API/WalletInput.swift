import Foundation
import PortfolioCore
import WebServer

/// A wallet as a client describes it (chain, address, label), checked: the one validation
/// behind adding a wallet and importing many.
struct WalletInput {
  static let maxLabelLength = 100

  let chains: [ChainName: Chain]

  /// The wallet to add, or the error that names the field at fault.
  func wallet(
    owner: UserID, chain chainText: String, address: String, label labelText: String?, at time: Date
  ) throws(APIError) -> Wallet {
    let chainName = ChainName(parsing: chainText)
    let label = try Self.label(labelText)
    guard let chain = chains[chainName] else {
      throw APIError.unknownChain(chainName, supported: chains.keys.sorted())
    }
    let canonical: String
    do {
      canonical = try WalletAddress.canonical(address.trimmingCharacters(in: .whitespaces), on: chain)
    } catch {
      var extensions: [String: ProblemValue] = ["chain": .string(chain.name.rawValue)]
      if let suggestion = error.suggestion { extensions["suggestion"] = .string(suggestion) }
      throw APIError.badRequest(
        "Invalid \(chain.name) address: \(error.description)", field: "address", extensions: extensions)
    }
    return Wallet(
      owner: owner, chain: chain.name, address: canonical, label: label, createdAt: time, updatedAt: time)
  }

  /// Labels are trimmed; empty means none.
  static func label(_ text: String?) throws(APIError) -> String? {
    guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else {
      return nil
    }
    guard trimmed.count <= maxLabelLength else {
      throw .badRequest("The field 'label' is longer than \(maxLabelLength) characters.", field: "label")
    }
    return trimmed
  }
}
