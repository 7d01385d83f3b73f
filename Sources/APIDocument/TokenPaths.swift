import OpenAPIKit

/// `/api/v1/tokens`: tokens tracked beyond the built-in list.
enum TokenPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [("/api/v1/tokens", OpenAPI.PathItem(get: list, post: add, delete: remove))]
  }

  static let schemas: [(String, JSONSchema)] = [
    (
      "Token",
      Schemas.object(
        [
          ("chain", Schemas.chain),
          ("address", .string(description: "The contract (EIP-55) or mint (base58).")),
          ("symbol", .string),
          ("decimals", Schemas.decimals),
          ("source", .string(description: "list: built in; user: added.", allowedValues: "list", "user")),
        ], description: "A token whose balances are read.")
    )
  ]

  private static let tokenAddress = JSONSchema.string(
    description: "The ERC-20 contract (EIP-55, or all lower case) or SPL mint (base58).")

  private static let add = Operations.make(
    .post, tag: .tokens, id: "addToken", summary: "Track a token beyond the built-in list",
    description: "Decimals (and the symbol, unless given) are read on chain.",
    body: Operations.jsonBody(
      Schemas.closedObject([
        ("chain", Schemas.chainInput),
        ("address", tokenAddress),
        (
          "symbol",
          .string(
            required: false, nullable: true, description: "1 to 32 characters; read on chain when absent.")
        ),
      ]),
      example: Operations.example([
        "chain": "ethereum", "address": "0x6982508145454Ce325dDbE47a25d4ec3d2311933",
      ])),
    responses: [(201, Operations.json("The token, tracked.", Schemas.ref("Token")))],
    problems: [
      400:
        "A missing or mistyped field, an unknown chain, an invalid address, a symbol of the wrong length, or another field.",
      409: "The token is already tracked, or is in the built-in list.",
      415: "A body that is not JSON and declares another type.",
      422: "The address is not an ERC-20 contract or SPL mint (`field` is address).",
      502: "A chain node answered garbage or an error; `chain` names the chain.",
      503:
        "Every node of the chain is failing, the token could not be stored, or the server is shutting down.",
      504: "A chain node timed out; `chain` names the chain.",
    ])

  private static let list = Operations.make(
    .get, tag: .tokens, id: "listTokens", summary: "The built-in and added tokens",
    parameters: [Operations.chainFilter],
    responses: [
      (200, Operations.json("The tokens.", Schemas.object([("tokens", .array(items: Schemas.ref("Token")))])))
    ],
    problems: [400: "An unknown `chain`."])

  private static let remove = Operations.make(
    .delete, tag: .tokens, id: "removeToken", summary: "Stop tracking an added token",
    description: "Name the token in a body `{chain, address}` or in the query: `?chain=&address=`.",
    parameters: [
      .query(
        name: "chain", schema: Schemas.chainInput, description: "With `address`, when there is no body."),
      .query(name: "address", schema: tokenAddress, description: "With `chain`, when there is no body."),
    ],
    body: Operations.jsonBody(
      Schemas.closedObject([("chain", Schemas.chainInput), ("address", tokenAddress)]), required: false),
    responses: [(204, Operations.empty("No longer tracked."))],
    problems: [
      400:
        "No token named, a missing or mistyped field, an unknown chain, an invalid address, or another field.",
      404: "No such token was added (built-in tokens cannot be removed).",
      415: "A body that is not JSON and declares another type.",
    ])
}
