public import ChainClients
public import CurlHTTP
public import Foundation
public import Logging
public import PortfolioConfig
public import PortfolioCore

extension PriceSources {
  /// The sources `prices.sources` names, in its order: CoinGecko through `http`, Chainlink
  /// feeds through the chains' EVM readers (chains without a reader are not read), and the
  /// fixed prices.
  public static func make(
    config: AppConfig, http: HTTPClient, evmReaders: [ChainName: EVMBalanceReader],
    coinGeckoTuning: CoinGeckoSource.Tuning = CoinGeckoSource.Tuning(),
    logger: Logger = Logger(label: "prices"), now: @escaping @Sendable () -> Date = { Date() }
  ) -> PriceSources {
    let sources: [any PriceSource] = config.prices.sources.map { kind in
      switch kind {
      case .coingecko:
        CoinGeckoSource(
          api: config.coinGecko, chains: config.chains, http: http, tuning: coinGeckoTuning, now: now)
      case .chainlink:
        ChainlinkSource(config: config, readers: evmReaders, now: now)
      case .fixed:
        FixedPriceSource(prices: config.prices.fixed, now: now)
      }
    }
    return PriceSources(sources: sources, logger: logger, now: now)
  }
}
