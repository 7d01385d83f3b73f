import OpenAPIKit

/// `POST /api/v1/wallets/import`: many wallets at once, answered row by row.
enum ImportPaths {
  static let maxRows = 10_000

  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [("/api/v1/wallets/import", OpenAPI.PathItem(post: importWallets))]
  }

  /// A row as sent: any row is taken, and one that cannot be used is answered `invalid`.
  private static let row = Schemas.object(
    [
      ("chain", .string(required: false, nullable: true)),
      ("address", .string(required: false, nullable: true)),
      ("label", .string(required: false, nullable: true)),
    ], description: "A wallet to add: chain and address are needed, label is optional.")

  private static let rows = JSONSchema.array(
    minItems: 1, maxItems: maxRows, items: row)

  static let schemas: [(String, JSONSchema)] = [
    (
      "ImportResult",
      Schemas.object(
        [
          ("row", .integer(description: "The row's position, from 1.", minimum: (1, exclusive: false))),
          ("status", .string(allowedValues: "created", "exists", "invalid")),
          (
            "id",
            .string(
              format: .uuid, required: false,
              description: "created: the new wallet's id; exists: the id of the wallet already tracked.")
          ),
          ("wallet", Schemas.ref("Wallet", required: false, description: "created: the new wallet.")),
          (
            "field",
            .string(required: false, nullable: true, description: "invalid: the field at fault, if one is.")
          ),
          ("error", .string(required: false, description: "invalid: what is wrong with the row.")),
        ], description: "One row's outcome, in the order sent.")
    )
  ]

  private static let importWallets = Operations.make(
    .post, tag: .importing, id: "importWallets", summary: "Track up to 10,000 wallets at once",
    description: """
      The valid rows are added in one transaction, then read from their chains together. A row \
      naming a wallet already tracked (by an earlier row too) is answered `exists`.
      """,
    body: OpenAPI.Request(
      content: [
        .json: .b(
          OpenAPI.Content(
            schema: .any(
              of: rows,
              Schemas.object([("wallets", rows)], description: "The shape GET /api/v1/wallets answers with.")),
            example: AnyCodable([
              Operations.example([
                "chain": "ethereum", "address": "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
              ])
            ]))),
        .csv: .b(
          OpenAPI.Content(
            schema: .string(
              description:
                "A header line naming chain, address and optionally label, in any order; one wallet a line."),
            example: "chain,address,label\nethereum,0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359,savings\n")),
      ], required: true),
    responses: [
      (
        200,
        Operations.json(
          "One result per row, with the counts.",
          Schemas.object([
            ("created", .integer(minimum: (0, exclusive: false))),
            ("existing", .integer(minimum: (0, exclusive: false))),
            ("invalid", .integer(minimum: (0, exclusive: false))),
            ("results", .array(items: Schemas.ref("ImportResult"))),
          ]))
      )
    ],
    problems: [
      400:
        "No body, no rows, JSON that is not an array of wallets (nor `{\"wallets\": [...]}`), "
        + "or CSV that cannot be read or lacks the chain and address columns.",
      413: "More than 10,000 rows (`max_rows`), or a body over `server.max_body_bytes`.",
      415: "A body declared as neither JSON nor CSV.",
    ])
}
