import ArgumentParser

/// `portfolio-bench`: measures the server's speed against devchain on loopback.
@main
struct PortfolioBenchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "portfolio-bench",
    abstract: "Measures refresh cost, fan-out and REST speed on this machine. Build with -c release.",
    subcommands: [
      RefreshBenchmark.self, FanOutBenchmark.self, RESTBenchmark.self, StorageBenchmark.self,
      ImportBenchmark.self, PriceBenchmark.self, DeliveryBenchmark.self, BackupBenchmark.self,
      MetricsBenchmark.self,
    ])
}
