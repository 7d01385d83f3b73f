import OpenAPIKit

/// `/api/v1/chains`: the enabled chains, with their native coin and block explorer.
enum ChainPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [("/api/v1/chains", OpenAPI.PathItem(get: list))]
  }

  static let schemas: [(String, JSONSchema)] = [
    (
      "ChainInfo",
      Schemas.object(
        [
          ("name", Schemas.chain),
          ("family", .string(allowedValues: "evm", "solana")),
          ("chain_id", .integer(nullable: true, description: "EVM chains: the chain id; null on Solana.")),
          ("native_symbol", .string(nullable: true)),
          ("native_decimals", .integer(nullable: true)),
          (
            "poll_interval_seconds",
            .number(nullable: true, description: "Seconds between reads of every wallet.")
          ),
          (
            "explorer",
            Schemas.object(
              [
                ("url", .string(description: "The explorer's address.")),
                ("address", .string(description: "A wallet's page: replace `{address}`.")),
                (
                  "token",
                  .string(description: "A token's page: replace `{token}` with its contract or mint.")
                ),
              ], description: "The chain's block explorer (`explorer_url`); null when none is set.",
              nullable: true)
          ),
        ], description: "One enabled chain.")
    )
  ]

  private static let list = Operations.make(
    .get, tag: .chains, id: "listChains", summary: "The enabled chains",
    description: "What wallets can be added on, with each chain's native coin and block explorer links.",
    responses: [
      (
        200,
        Operations.json(
          "The enabled chains, by name.",
          Schemas.object([("chains", .array(items: Schemas.ref("ChainInfo")))]))
      )
    ], canFail: false)
}
