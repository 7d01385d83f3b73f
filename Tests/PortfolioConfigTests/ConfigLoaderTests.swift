import Foundation
import Testing

@testable import PortfolioConfig

@Suite struct ConfigLoaderTests {
  static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  @Test func documentedDefaultsFileEqualsBuiltInDefaults() throws {
    let path = Self.repositoryRoot.appendingPathComponent("config/default.yaml").path
    let documented = try ConfigSources.file(at: path)
    #expect(documented == ConfigDefaults.values)
  }

  @Test func defaultsMatchTheDocumentedStart() throws {
    let config = try ConfigLoader.load(environment: [:])
    #expect(config.server.host == "127.0.0.1")
    #expect(config.server.port == 8080)
    #expect(config.databasePath == "./data/portfolio.sqlite")
    #expect(config.server.maxBodyBytes == 1 << 20)
    #expect(config.chainNames == ["arbitrum", "base", "bsc", "ethereum", "optimism", "polygon", "solana"])
    #expect(config.chains["ethereum"]?.chainID == 1)
    #expect(config.chains["solana"]?.chain.family == .solana)
    #expect(config.chains["solana"]?.chainID == nil)
  }

  @Test func originalEnvironmentNamesStillWork() throws {
    let config = try ConfigLoader.load(environment: [
      "ETHEREUM_RPC_URL": "http://127.0.0.1:8545/a, http://127.0.0.1:8546/b",
      "SOLANA_RPC_URL": "http://127.0.0.1:8899",
      "DATABASE_URL": "sqlite:///var/lib/portfolio/p.sqlite",
      "RATE_LIMIT_REQUESTS": "100",
      "CACHE_TTL": "30",
      "LOG_LEVEL": "DEBUG",
    ])
    #expect(config.chains["ethereum"]?.rpcURLs == ["http://127.0.0.1:8545/a", "http://127.0.0.1:8546/b"])
    #expect(config.chains["solana"]?.rpcURLs == ["http://127.0.0.1:8899"])
    #expect(config.databasePath == "/var/lib/portfolio/p.sqlite")
    #expect(config.rateLimitRequests == 100)
    #expect(config.cacheTTLSeconds == 30)
    #expect(config.logLevel == .debug)
  }

  @Test func everyKeyHasAnEnvironmentName() {
    #expect(ConfigSources.environmentName(for: "chains.ethereum.rpc_url") == "ETHEREUM_RPC_URL")
    #expect(ConfigSources.environmentName(for: "chains.solana.poll_interval") == "SOLANA_POLL_INTERVAL")
    #expect(ConfigSources.environmentName(for: "server.port") == "SERVER_PORT")
    #expect(ConfigSources.environmentName(for: "rate_limit.requests") == "RATE_LIMIT_REQUESTS")
    let full = try? ConfigLoader.load(environment: ["CHAINS_ETHEREUM_CHAIN_ID": "5"])
    #expect(full?.chains["ethereum"]?.chainID == 5)
  }

  @Test func layersApplyInOrder() throws {
    let file = try Self.temporaryFile("server:\n  port: 9000\n  host: 0.0.0.0\nlog:\n  format: json\n")
    let config = try ConfigLoader.load(
      file: file, environment: ["SERVER_PORT": "9100", "LOG_FORMAT": "text"],
      overrides: ["server.port": "9200"])
    #expect(config.server.host == "0.0.0.0")  // file over default
    #expect(config.logFormat == .text)  // environment over file
    #expect(config.server.port == 9200)  // flag over environment
  }

  @Test func aFileCanAddAnEVMChainAndDisableOthers() throws {
    let file = try Self.temporaryFile(
      """
      chains:
        gnosis:
          family: evm
          chain_id: 100
          rpc_url: [https://rpc.gnosischain.com, https://rpc.ankr.com/gnosis]
          native_symbol: XDAI
          native_decimals: 18
          poll_interval: 5
        bsc:
          enabled: false
      """)
    let config = try ConfigLoader.load(file: file, environment: ["GNOSIS_POLL_INTERVAL": "2.5"])
    #expect(config.chains["gnosis"]?.chainID == 100)
    #expect(config.chains["gnosis"]?.rpcURLs.count == 2)
    #expect(config.chains["gnosis"]?.pollInterval == 2.5)
    #expect(config.chains["bsc"] == nil)
  }

  @Test(arguments: [
    (["SERVER_PORT": "abc"], "server.port"),
    (["SERVER_PORT": "70000"], "server.port"),
    (["LOG_LEVEL": "loud"], "log.level"),
    (["LOG_FORMAT": "xml"], "log.format"),
    (["ETHEREUM_RPC_URL": "ftp://node"], "chains.ethereum.rpc_url"),
    (["ETHEREUM_CHAIN_ID": "-1"], "chains.ethereum.chain_id"),
    (["SOLANA_POLL_INTERVAL": "0"], "chains.solana.poll_interval"),
    (["DATABASE_URL": "postgresql://db/x"], "database.url"),
    (["RATE_LIMIT_REQUESTS": "-5"], "rate_limit.requests"),
    (["ETHEREUM_ENABLED": "maybe"], "chains.ethereum.enabled"),
    (["BACKUP_INTERVAL": "-1"], "backup.interval"),
    (["BACKUP_INTERVAL": "daily"], "backup.interval"),
    (["BACKUP_KEEP": "0"], "backup.keep"),
  ])
  func aBadValueNamesItsKey(environment: [String: String], key: String) {
    #expect {
      try ConfigLoader.load(environment: environment)
    } throws: { error in
      (error as? ConfigError)?.key == key && "\(error)".contains(key)
    }
  }

  @Test func backupsDefaultToAFolderBesideTheDatabase() throws {
    let config = try ConfigLoader.load(environment: ["DATABASE_URL": "/srv/portfolio/p.sqlite"])
    #expect(config.backup == AppConfig.Backup(directory: "/srv/portfolio/backups", interval: 86400, keep: 7))
    let set = try ConfigLoader.load(
      environment: ["BACKUP_DIRECTORY": "/var/backups/p", "BACKUP_INTERVAL": "0", "BACKUP_KEEP": "30"])
    #expect(set.backup == AppConfig.Backup(directory: "/var/backups/p", interval: 0, keep: 30))
  }

  @Test(arguments: [131_277_322_940_537, 9_223_372_036_854_775_771] as [UInt64])
  func chainIDsUpToTheEIP2294BoundAreAccepted(id: UInt64) throws {
    let config = try ConfigLoader.load(environment: ["ETHEREUM_CHAIN_ID": String(id)])
    #expect(config.chains["ethereum"]?.chainID == id)
    let file = try Self.temporaryFile("chains:\n  ethereum:\n    chain_id: \(id)\n")
    #expect(try ConfigLoader.load(file: file, environment: [:]).chains["ethereum"]?.chainID == id)
  }

  @Test(arguments: ["9223372036854775772", "0", "18446744073709551616", "1e15"])
  func aChainIDOutsideTheBoundNamesTheKeyAndTheBound(raw: String) {
    #expect {
      try ConfigLoader.load(environment: ["ETHEREUM_CHAIN_ID": raw])
    } throws: { error in
      "\(error)"
        == "configuration key 'chains.ethereum.chain_id': must be a whole number from 1 to 9223372036854775771, got \"\(raw)\""
    }
  }

  @Test func unknownKeysInAFileAreRefused() throws {
    let file = try Self.temporaryFile("server:\n  prot: 80\n")
    #expect(throws: ConfigError(key: "server.prot", message: "is not a configuration key")) {
      try ConfigLoader.load(file: file, environment: [:])
    }
  }

  @Test func aMissingOrBrokenFileIsAClearError() throws {
    #expect { try ConfigLoader.load(file: "/nonexistent/x.yaml", environment: [:]) } throws: {
      "\($0)".contains("cannot read /nonexistent/x.yaml")
    }
    let broken = try Self.temporaryFile("server: [unclosed\n")
    #expect { try ConfigLoader.load(file: broken, environment: [:]) } throws: {
      "\($0)".contains("not valid YAML")
    }
  }

  static func temporaryFile(_ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("config-\(UUID().uuidString).yaml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }
}

@Suite struct TokenListTests {
  @Test func theShippedListLoadsWithValidChecksums() throws {
    let config = try ConfigLoader.load(environment: [:])
    let path = ConfigLoaderTests.repositoryRoot.appendingPathComponent("config/tokens.yaml").path
    let tokens = try TokenList.load(path: path, chains: config.chains)
    #expect(
      tokens.contains(
        ListedToken(
          chain: "ethereum", address: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", symbol: "USDC",
          decimals: 6)))
    #expect(
      tokens.contains(
        ListedToken(
          chain: "solana", address: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", symbol: "USDC",
          decimals: 6)))
    #expect(
      Set(tokens.map(\.chain)) == ["arbitrum", "base", "bsc", "ethereum", "optimism", "polygon", "solana"])
  }

  @Test func aSolanaMintThatIsNotBase58NamesTheToken() throws {
    let file = try ConfigLoaderTests.temporaryFile(
      "solana:\n  - {address: \"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1O\", symbol: USDC, decimals: 6}\n")
    let config = try ConfigLoader.load(environment: [:])
    #expect {
      try TokenList.load(path: file, chains: config.chains)
    } throws: { error in
      "\(error)".contains("tokens.list_file") && "\(error)".contains("solana token USDC")
    }
  }

  @Test func aTypoInAnAddressNamesTheToken() throws {
    let file = try ConfigLoaderTests.temporaryFile(
      "ethereum:\n  - {address: \"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB49\", symbol: USDC, decimals: 6}\n")
    let config = try ConfigLoader.load(environment: [:])
    #expect {
      try TokenList.load(path: file, chains: config.chains)
    } throws: { error in
      let text = "\(error)"
      return text.contains("tokens.list_file") && text.contains("ethereum token USDC")
        && text.contains("did you mean")
    }
  }
}
