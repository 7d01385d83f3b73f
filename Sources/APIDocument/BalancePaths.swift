import OpenAPIKit

/// A wallet's balances (`/fetch`, `/balances`) and the history of their changes (`/history`).
enum BalancePaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [
      ("/api/v1/wallets/{id}/fetch", OpenAPI.PathItem(post: fetch)),
      ("/api/v1/wallets/{id}/balances", OpenAPI.PathItem(get: balances)),
      ("/api/v1/wallets/{id}/history", OpenAPI.PathItem(get: history)),
    ]
  }

  static let schemas: [(String, JSONSchema)] = [
    (
      "Balance",
      Schemas.object(
        [
          ("asset", .string(description: "The symbol.")),
          ("token", Schemas.token()),
          ("decimals", Schemas.decimals),
          ("raw", Schemas.raw),
          ("amount", Schemas.amount),
          (
            "block",
            .integer(
              nullable: true,
              description:
                "The block (EVM) or slot (Solana) the whole refresh was read at; null when unknown.")
          ),
          ("updated_at", Schemas.dateTime()),
          ("usd", Schemas.usd()),
        ] + Schemas.priceFields, description: "One asset held by a wallet, exact, with its value.")
    ),
    (
      "WalletBalances",
      Schemas.object([
        ("wallet_id", Schemas.walletID),
        ("chain", Schemas.chain),
        ("address", .string),
        ("balances", .array(items: Schemas.ref("Balance"))),
        (
          "usd",
          Schemas.usd(
            description:
              "The wallet's value: the sum of its priced balances; null when it holds only unpriced assets.")
        ),
        ("unpriced_assets", .integer(minimum: (0, exclusive: false))),
      ])
    ),
    (
      "Change",
      Schemas.object(
        [
          (
            "seq",
            .integer(description: "The change's position in the change log.", minimum: (1, exclusive: false))
          ),
          ("wallet", Schemas.walletID),
          ("chain", Schemas.chain),
          ("asset", .string),
          ("token", Schemas.token()),
          ("decimals", Schemas.decimals),
          ("old", Schemas.amount),
          ("new", Schemas.amount),
          ("raw_old", Schemas.raw),
          ("raw_new", Schemas.raw),
          ("usd", Schemas.usd(description: "The new balance's value at the price then; null when unpriced.")),
          (
            "usd_delta", Schemas.usd(signed: true, description: "The change's own value; null when unpriced.")
          ),
          ("block", .integer(nullable: true)),
          ("at", Schemas.dateTime()),
        ] + Schemas.priceFields,
        description: "A balance change, valued at its asset's price when it happened.")
    ),
  ]

  private static let walletBalances = Schemas.ref("WalletBalances")

  private static let fetch = Operations.make(
    .post, tag: .balances, id: "fetchWallet", summary: "Read a wallet on its chain now",
    description: "Reads the native coin and every tracked token, stores them and answers the balances.",
    parameters: [Operations.walletID],
    responses: [(200, Operations.json("The balances just read.", walletBalances))],
    problems: [
      404: "No wallet with that id.",
      409:
        "The wallet's chain is off on this server; `chain` names it and the detail says how to turn it on.",
      502: "A chain node answered garbage or an error; `chain` names the chain.",
      503: "Every node of the chain is failing (circuit breakers open), or the server is shutting down.",
      504: "A node timed out, or the read took over 30 s (it goes on and is stored).",
    ])

  private static let balances = Operations.make(
    .get, tag: .balances, id: "getWalletBalances", summary: "A wallet's stored balances",
    parameters: [Operations.walletID],
    responses: [(200, Operations.json("The balances as last read.", walletBalances))],
    problems: [404: "No wallet with that id."])

  private static let history = Operations.make(
    .get, tag: .balances, id: "getWalletHistory", summary: "A wallet's changes, newest first",
    parameters: [
      Operations.walletID,
      Operations.limit(maximum: 500, standard: 100),
      .query(
        name: "before", schema: .integer(minimum: (1, exclusive: false)),
        description: "Only changes before this `seq`: `next_before` of the previous page."),
    ],
    responses: [
      (
        200,
        Operations.jsonOrCSV(
          "A page of changes (in CSV, without `limit`, the whole history before `before`).",
          Schemas.object([
            ("changes", .array(items: Schemas.ref("Change"))),
            (
              "next_before",
              .integer(nullable: true, description: "The next page's `before`; null on the last page.")
            ),
          ]), columns: CSVColumns.walletHistory)
      )
    ],
    problems: [
      400: "A `limit` out of range, or a `before` that is not a positive whole number.",
      404: "No wallet with that id.",
    ])
}
