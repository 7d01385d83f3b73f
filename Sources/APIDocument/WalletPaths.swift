import OpenAPIKit

/// `/api/v1/wallets` and `/api/v1/wallets/{id}`.
enum WalletPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [
      ("/api/v1/wallets", OpenAPI.PathItem(get: list, post: add)),
      ("/api/v1/wallets/{id}", OpenAPI.PathItem(get: read, delete: delete, patch: relabel)),
    ]
  }

  static let schemas: [(String, JSONSchema)] = [
    (
      "Wallet",
      Schemas.object(
        [
          ("id", Schemas.walletID),
          ("chain", Schemas.chain),
          (
            "address",
            .string(description: "Canonical form: EIP-55 checksum on EVM chains, base58 on Solana.")
          ),
          ("label", .string(nullable: true)),
          ("created_at", Schemas.dateTime()),
          ("updated_at", Schemas.dateTime()),
        ], description: "A tracked wallet. One per chain and address.")
    ),
    (
      "WalletInput",
      Schemas.closedObject(
        [
          ("chain", Schemas.chainInput),
          (
            "address",
            .string(
              description:
                "EIP-55 (or all lower case) on EVM chains, base58 on Solana; checked, and stored in canonical form."
            )
          ),
          (
            "label",
            .string(
              required: false, nullable: true,
              description: "Trimmed; empty means none; at most 100 characters.")
          ),
        ], description: "A wallet to track.")
    ),
  ]

  private static let add = Operations.make(
    .post, tag: .wallets, id: "addWallet", summary: "Track a wallet",
    body: Operations.jsonBody(
      Schemas.ref("WalletInput"),
      example: Operations.example([
        "chain": "ethereum", "address": "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "label": "main",
      ]),
      description: "JSON; taken whatever its declared type when it parses as JSON."),
    responses: [
      (
        201,
        Operations.created("The wallet, tracked.", Schemas.ref("Wallet"), path: "The wallet's path.")
      )
    ],
    problems: [
      400:
        "A missing or mistyped field, an unknown chain (`supported_chains`), an invalid address "
        + "(`suggestion` may hold the checksummed one), a label over 100 characters, or a field not accepted.",
      409: "The wallet is already tracked; `existing_id` is its id.",
      415: "A body that is not JSON and declares another type.",
    ])

  private static let list = Operations.make(
    .get, tag: .wallets, id: "listWallets", summary: "List wallets in creation order",
    parameters: [
      Operations.limit(maximum: 500, standard: 100),
      .query(
        name: "cursor", schema: .string,
        description: "`next_cursor` of the previous page; an empty one starts at the beginning."),
      Operations.chainFilter,
    ],
    responses: [
      (
        200,
        Operations.jsonOrCSV(
          "A page of wallets (in CSV, every wallet from the cursor on).",
          Schemas.object([
            ("wallets", .array(items: Schemas.ref("Wallet"))),
            (
              "next_cursor",
              .string(nullable: true, description: "The next page's cursor; null on the last page.")
            ),
          ]), columns: CSVColumns.wallets)
      )
    ],
    problems: [400: "A `limit` out of range, a `cursor` this server did not give out, or an unknown `chain`."]
  )

  private static let read = Operations.make(
    .get, tag: .wallets, id: "getWallet", summary: "Read a wallet", parameters: [Operations.walletID],
    responses: [(200, Operations.json("The wallet.", Schemas.ref("Wallet")))],
    problems: [404: "No wallet with that id."])

  private static let relabel = Operations.make(
    .patch, tag: .wallets, id: "relabelWallet", summary: "Change a wallet's label",
    parameters: [Operations.walletID],
    body: Operations.jsonBody(
      Schemas.closedObject([
        ("label", .string(nullable: true, description: "The new label; null (or empty) clears it."))
      ]),
      example: Operations.example(["label": "cold"])),
    responses: [(200, Operations.json("The wallet, relabelled.", Schemas.ref("Wallet")))],
    problems: [
      400: "No `label`, a label that is not a string or null, one over 100 characters, or another field.",
      404: "No wallet with that id.",
      415: "A body that is not JSON and declares another type.",
    ])

  private static let delete = Operations.make(
    .delete, tag: .wallets, id: "deleteWallet", summary: "Stop tracking a wallet",
    parameters: [Operations.walletID],
    responses: [(204, Operations.empty("Deleted, with its balances and history."))],
    problems: [404: "No wallet with that id."])
}
