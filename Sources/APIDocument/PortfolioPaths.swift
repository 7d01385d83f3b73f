import OpenAPIKit

/// `/api/v1/portfolio`: totals over every wallet, now and over time.
enum PortfolioPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [
      ("/api/v1/portfolio", OpenAPI.PathItem(get: portfolio)),
      ("/api/v1/portfolio/history", OpenAPI.PathItem(get: history)),
    ]
  }

  static let schemas: [(String, JSONSchema)] = [
    (
      "AssetTotal",
      Schemas.object(
        [
          ("chain", Schemas.chain),
          ("asset", .string),
          ("token", Schemas.token()),
          ("decimals", Schemas.decimals),
          ("raw", Schemas.raw),
          ("amount", Schemas.amount),
          ("wallets", .integer(description: "How many wallets hold it.", minimum: (0, exclusive: false))),
          ("oldest_update", Schemas.dateTime(description: "The oldest read among those wallets.")),
          ("usd", Schemas.usd()),
        ] + Schemas.priceFields, description: "One asset summed over every wallet, exactly, valued once.")
    ),
    (
      "ValueSummary",
      Schemas.object(
        [
          (
            "usd",
            Schemas.usd(description: "The total; null when something is held and nothing of it is priced.")
          ),
          ("by_chain", .object(additionalProperties: .b(Schemas.usd(nullable: false)))),
          ("priced_assets", .integer(minimum: (0, exclusive: false))),
          ("unpriced_assets", .integer(minimum: (0, exclusive: false))),
          (
            "unpriced",
            .array(
              items: Schemas.object(
                [
                  ("chain", Schemas.chain), ("asset", .string), ("token", Schemas.token()),
                  ("amount", Schemas.amount),
                ],
                description: "What is held of an asset without a price."))
          ),
        ], description: "The money part of the portfolio.")
    ),
    (
      "PortfolioHistory",
      Schemas.object([
        ("from", Schemas.dateTime(description: "The first bucket's start.")),
        ("interval", .string(allowedValues: "hour", "day")),
        ("to", Schemas.dateTime()),
        ("series", .array(items: series)),
        (
          "totals",
          .array(
            items: Schemas.object(
              [
                ("t", Schemas.dateTime(description: "The bucket's start.")),
                (
                  "usd",
                  Schemas.usd(description: "The bucket's priced total; null when nothing held was priced.")
                ),
                ("unpriced_assets", .integer(minimum: (0, exclusive: false))),
              ], description: "The USD total per bucket."))
        ),
      ])
    ),
  ]

  /// One asset's totals over the buckets.
  private static let series = Schemas.object([
    ("asset", .string),
    ("chain", Schemas.chain),
    ("decimals", Schemas.decimals),
    ("token", Schemas.token()),
    (
      "points",
      .array(
        items: Schemas.object(
          [
            ("t", Schemas.dateTime(description: "The bucket's start.")),
            ("raw", Schemas.raw),
            ("amount", Schemas.amount),
            (
              "price",
              .string(
                nullable: true, description: "The price at the bucket's end.", pattern: "^[0-9]+(\\.[0-9]+)?$"
              )
            ),
            ("usd", Schemas.usd()),
          ], description: "The total held at the end of the bucket, carried forward."))
    ),
  ])

  private static let portfolio = Operations.make(
    .get, tag: .portfolio, id: "getPortfolio", summary: "Totals per chain and asset over every wallet",
    responses: [
      (
        200,
        Operations.jsonOrCSV(
          "The portfolio now (in CSV, the totals).",
          Schemas.object([
            ("wallets", .integer(minimum: (0, exclusive: false))),
            (
              "seq",
              .integer(description: "The last change's `seq` (0 before any).", minimum: (0, exclusive: false))
            ),
            ("totals", .array(items: Schemas.ref("AssetTotal"))),
            ("value", Schemas.ref("ValueSummary")),
            (
              "freshness",
              .object(
                description: "Per chain: when it was last read in full, and how long ago.",
                additionalProperties: .b(
                  Schemas.object([
                    ("last_success", Schemas.dateTime(nullable: true)),
                    ("lag_seconds", .number(nullable: true)),
                  ])))
            ),
          ]), columns: CSVColumns.holdings)
      )
    ])

  private static let time = JSONSchema.string(
    description: "ISO-8601 (2026-01-31T00:00:00Z) or seconds since 1970; from 1970 to 9999.",
    examples: ["2026-01-31T00:00:00Z"])

  private static let history = Operations.make(
    .get, tag: .portfolio, id: "getPortfolioHistory", summary: "Per-asset totals and USD value over time",
    description: """
      Totals and prices are kept per hour: a bucket holds its last hour's close, carried forward \
      through hours where nothing moved. At most 10,000 buckets.
      """,
    parameters: [
      .query(
        name: "from", schema: time,
        description: "The start; 7 days (hour) or 365 days (day) before `to` by default."),
      .query(name: "to", schema: time, description: "The end; now by default."),
      .query(name: "interval", schema: .string(allowedValues: "hour", "day", defaultValue: "hour")),
    ],
    responses: [
      (
        200,
        Operations.jsonOrCSV(
          "The series (in CSV, the totals).", Schemas.ref("PortfolioHistory"),
          columns: CSVColumns.portfolioHistory)
      )
    ],
    problems: [
      400:
        "A time that is neither ISO-8601 nor seconds or is outside 1970 to 9999, `from` after `to`, "
        + "an unknown `interval`, or a range of more than 10,000 buckets."
    ])
}
