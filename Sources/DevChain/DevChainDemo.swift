import Foundation
import PortfolioCore

/// `devchain --demo`: a few wallets and tokens whose balances and USD prices drift, so a
/// dashboard has something to show.
public enum DevChainDemo {
  public static let ethereumWallets = [
    "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
  ]
  public static let solanaWallets = [
    "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM", "vines1vzrYbzLMRdu58ou5XTby4qAqVRLmqo36NKPTg",
  ]
  public static let usdc = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48"
  /// The mainnet USDC mint, so the server's token list names it.
  public static let usdcMint = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"

  /// Creates the demo tokens, balances and prices; returns lines describing them.
  public static func seed(_ chain: DevChain) throws -> [String] {
    _ = try chain.createToken(chain: "ethereum", address: usdc, symbol: "USDC", decimals: 6)
    let usdcMint = try chain.createToken(chain: "solana", address: Self.usdcMint, symbol: "USDC", decimals: 6)
    for wallet in ethereumWallets {
      try chain.setBalance(chain: "ethereum", address: wallet, token: nil, amount: "1500000000000000000")
      try chain.setBalance(chain: "ethereum", address: wallet, token: usdc, amount: "250000000")
    }
    for wallet in solanaWallets {
      try chain.setBalance(chain: "solana", address: wallet, token: nil, amount: "12500000000")
      try chain.setBalance(chain: "solana", address: wallet, token: usdcMint, amount: "75000000")
    }
    let prices = DevChainDemoPrices(usdcMint: usdcMint)
    try prices.apply(to: chain)
    return [
      "demo ethereum wallets: " + ethereumWallets.joined(separator: ", ") + " (USDC token \(usdc))",
      "demo solana wallets: " + solanaWallets.joined(separator: ", ") + " (USDC mint \(usdcMint))",
      prices.summary,
    ]
  }

  /// Moves one balance at random and every price a little every `interval`, forever.
  public static func run(_ chain: DevChain, every interval: Duration) async {
    guard let usdcMint = chain.mints(symbol: "USDC").first else { return }
    var prices = DevChainDemoPrices(usdcMint: usdcMint)
    while !Task.isCancelled {
      try? await Task.sleep(for: interval)
      prices.walk()
      try? prices.apply(to: chain)
      let useSolana = Bool.random()
      let wallet = (useSolana ? solanaWallets : ethereumWallets).randomElement() ?? ""
      let token: String? = Bool.random() ? nil : (useSolana ? usdcMint : usdc)
      let amount =
        token == nil
        ? String(UInt64.random(in: 1_000_000_000...(useSolana ? 50_000_000_000 : 5_000_000_000_000_000_000)))
        : String(UInt64.random(in: 1_000_000...900_000_000))
      _ = try? chain.setBalance(
        chain: useSolana ? "solana" : "ethereum", address: wallet, token: token, amount: amount)
    }
  }
}
