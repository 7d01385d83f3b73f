import ArgumentParser
import BigInt
import ChainClients
import CurlHTTP
import DevChain
import Foundation
import LiveUpdates
import PortfolioConfig
import PortfolioCore
import Pricing
import Storage

/// `portfolio-bench prices`: what one price refresh of many distinct assets costs in HTTP
/// requests and time, against devchain's CoinGecko-compatible API and feeds in this process,
/// and what storing its answers (history rows, hourly closes, a value frame) takes.
struct PriceBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prices",
    abstract: "Count the HTTP requests and time of one price refresh of many distinct assets.")

  @Option(help: "Distinct assets: two native coins plus tokens, split between Ethereum and Solana.")
  var assets = 1_000
  @Option(help: "Rounds; the best and the median are reported.") var rounds = 3
  @Option(help: "Wallets holding the priced assets while prices are stored (each refresh values them).")
  var wallets = 10_000
  @Option(help: "Tokens each of those wallets holds besides its native coin.") var tokens = 20

  func run() async throws {
    let devchain = try DevChainServer()
    let http = HTTPClient()
    defer { http.shutdown() }
    say(Machine.description)
    let held = try setUp(devchain.chain)
    let config = try ConfigLoader.load(
      environment: [
        "COINGECKO_API_URL": devchain.baseURL + "/coingecko/api/v3", "COINGECKO_REQUESTS_PER_MINUTE": "0",
        "ETHEREUM_RPC_URL": devchain.ethereumURL, "SOLANA_RPC_URL": devchain.solanaURL,
        "ETHEREUM_PRICE_FEEDS": "", "POLYGON_ENABLED": "false", "ARBITRUM_ENABLED": "false",
        "OPTIMISM_ENABLED": "false", "BASE_ENABLED": "false", "BSC_ENABLED": "false",
      ])
    let reader = EVMBalanceReader(rpc: RPCClient(chain: "ethereum", urls: [devchain.ethereumURL], http: http))
    let sources = PriceSources.make(config: config, http: http, evmReaders: ["ethereum": reader])
    var times: [Double] = []
    var requests = 0
    var priced = 0
    for _ in 0..<rounds {
      devchain.chain.resetStats()
      let started = ContinuousClock.now
      let round = await sources.quotes(for: held)
      times.append(seconds(ContinuousClock.now - started))
      requests = devchain.chain.coinGeckoStats.httpRequests
      priced = round.quotes.count
      guard priced == held.count else { throw ValidationError("priced \(priced) of \(held.count) assets") }
    }
    let sorted = times.sorted()
    say(
      "prices: \(held.count) distinct assets: \(requests) HTTP requests per refresh "
        + "(\(String(format: "%.3f", Double(requests) / Double(held.count))) per asset, against "
        + "\(held.count) for one request per asset: \(String(format: "%.0f", Double(held.count) / Double(max(requests, 1))))× fewer), "
        + "best \(String(format: "%.3f", sorted[0])) s, median \(String(format: "%.3f", sorted[sorted.count / 2])) s "
        + "over \(times.count) rounds; \(priced) priced")
    try await store(await sources.quotes(for: held))
    await devchain.stop()
  }

  /// Two coins and `assets - 2` tokens, each with a price on devchain's API.
  private func setUp(_ chain: DevChain) throws -> Set<AssetKey> {
    try chain.setCoinPrice(coin: "ethereum", usd: "3000.5")
    try chain.setCoinPrice(coin: "solana", usd: "150.25")
    var held: Set<AssetKey> = [
      AssetKey(chain: "ethereum", token: nil), AssetKey(chain: "solana", token: nil),
    ]
    for index in 0..<max(0, assets - 2) {
      var bytes = [UInt8](repeating: 0x5a, count: 32)
      withUnsafeBytes(of: UInt32(index).bigEndian) { bytes.replaceSubrange(28..<32, with: $0) }
      let chainName: ChainName = index % 2 == 0 ? "ethereum" : "solana"
      let token: String
      if chainName == "ethereum", let address = EVMAddress(bytes: Array(bytes.suffix(20))) {
        token = address.checksummed
      } else if let mint = SolanaAddress(bytes: bytes) {
        token = mint.base58
      } else {
        continue
      }
      try chain.setTokenPrice(platform: chainName.rawValue, contract: token, usd: "1.\(index)")
      held.insert(AssetKey(chain: chainName, token: token))
    }
    return held
  }

  /// Stores one round's prices in a fresh database through the change feed, as the server does.
  private func store(_ round: PriceRound) async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bench-prices-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let database = try AppDatabase(path: folder.appendingPathComponent("p.sqlite").path)
    let feed = ChangeFeed(database: database)
    let quotes = Array(round.quotes.values)
    try hold(quotes.map(\.asset), in: database)
    let started = ContinuousClock.now
    let write = try await feed.storePrices(quotes, at: Date(), pushThreshold: 5_000)
    let first = seconds(ContinuousClock.now - started)
    let moved = quotes.map { quote in
      PriceQuote(
        asset: quote.asset,
        price: USDPrice(significand: quote.price.significand * 101, scale: quote.price.scale + 2)
          ?? quote.price, source: quote.source, at: quote.at)
    }
    let again = ContinuousClock.now
    let second = try await feed.storePrices(moved, at: Date(), pushThreshold: 5_000)
    say(
      "prices stored with \(wallets) wallets × \(tokens + 1) assets: \(write.moves.count) first prices in \(String(format: "%.1f", first * 1000)) ms, "
        + "\(second.moves.count) moves of 1 % in \(String(format: "%.1f", seconds(ContinuousClock.now - again) * 1000)) ms"
    )
    try database.close()
  }

  /// `wallets` Ethereum wallets, each holding ETH and `tokens` of the priced Ethereum tokens.
  private func hold(_ assets: [AssetKey], in database: AppDatabase) throws {
    let held = assets.filter { $0.chain == "ethereum" && $0.token != nil }.prefix(tokens)
    let now = Date()
    let list = (0..<wallets).compactMap { index -> Wallet? in
      var bytes = [UInt8](repeating: 0x11, count: 20)
      withUnsafeBytes(of: UInt32(index).bigEndian) { bytes.replaceSubrange(16..<20, with: $0) }
      guard let address = EVMAddress(bytes: bytes) else { return nil }
      return Wallet(chain: "ethereum", address: address.checksummed, label: nil, createdAt: now, updatedAt: now)
    }
    try WalletStore(database).addAll(list)
    for start in stride(from: 0, to: list.count, by: 1_000) {
      var readings: [StoredBalance] = []
      for wallet in list[start..<min(start + 1_000, list.count)] {
        readings.append(
          StoredBalance(
            walletID: wallet.id, token: nil, symbol: "ETH", decimals: 18,
            raw: BaseUnits(UInt64(1_500_000_000_000_000_000)), block: 1, updatedAt: now))
        for asset in held {
          readings.append(
            StoredBalance(
              walletID: wallet.id, token: asset.token, symbol: "TKN", decimals: 6,
              raw: BaseUnits(UInt64(123_456_789)), block: 1, updatedAt: now))
        }
      }
      _ = try BalanceStore(database).apply(chain: "ethereum", readings: readings)
    }
  }
}
