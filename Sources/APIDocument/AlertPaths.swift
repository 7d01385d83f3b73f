import OpenAPIKit

/// `/api/v1/alerts`: the user's alert rules.
enum AlertPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [
      ("/api/v1/alerts", OpenAPI.PathItem(get: list, post: create)),
      ("/api/v1/alerts/{id}", OpenAPI.PathItem(get: read, delete: delete, patch: update)),
    ]
  }

  static let kind = JSONSchema.string(
    description: """
      value_above / value_below: a wallet's (wallet_id) or the portfolio's USD value crossing threshold; \
      balance_change: an asset's balance moving by at least threshold (an amount, or a percent); \
      activity: any change of a wallet's balances, incoming, outgoing or any.
      """,
    allowedValues: "value_above", "value_below", "balance_change", "activity")

  static let schemas: [(String, JSONSchema)] = [
    (
      "AlertRule",
      Schemas.object(
        [
          ("id", .string(format: .uuid)),
          ("name", .string(nullable: true)),
          ("kind", kind),
          (
            "wallet_id",
            .string(format: .uuid, nullable: true, description: "null: the portfolio, or any wallet.")
          ),
          ("asset", .string(nullable: true)),
          ("threshold", .string(nullable: true, description: "A decimal: USD, an amount, or a percent.")),
          ("percent", .boolean),
          ("direction", .string(nullable: true, allowedValues: "incoming", "outgoing", "any", nil)),
          ("enabled", .boolean),
          ("created_at", Schemas.dateTime()),
          ("updated_at", Schemas.dateTime()),
        ],
        description:
          "A rule; it fires once per crossing (value rules re-arm when the value goes back) into the stream, "
          + "webhooks and Web Push as alert.triggered.")
    )
  ]

  private static let idParameter = OpenAPI.Parameter.path(
    name: "id", schema: .string(format: .uuid), description: "The rule's id; another user's answers 404.")

  private static let create = Operations.make(
    .post, tag: .alerts, id: "createAlert", summary: "Make an alert rule",
    body: Operations.jsonBody(
      Schemas.closedObject([
        ("kind", kind),
        ("name", .string(required: false, nullable: true, maxLength: 100)),
        ("wallet_id", .string(format: .uuid, required: false, nullable: true)),
        (
          "asset",
          .string(required: false, nullable: true, description: "balance_change: a symbol or token address.")
        ),
        (
          "threshold",
          .string(
            required: false, nullable: true, description: "A positive decimal as a string.",
            pattern: "^[0-9]*\\.?[0-9]+$")
        ),
        ("percent", .boolean(required: false, nullable: true)),
        (
          "direction",
          .string(required: false, nullable: true, allowedValues: "incoming", "outgoing", "any", nil)
        ),
      ]),
      example: Operations.example(["kind": "value_above", "threshold": "10000", "name": "Portfolio over 10k"])
    ),
    responses: [(201, Operations.created("The rule.", Schemas.ref("AlertRule"), path: "Its path."))],
    problems: [
      400: "A missing or invalid kind, threshold, asset, direction or wallet, or a field not accepted.",
      415: "A body that is not JSON and declares another type.",
    ])

  private static let list = Operations.make(
    .get, tag: .alerts, id: "listAlerts", summary: "The user's alert rules",
    responses: [
      (
        200,
        Operations.json("The rules.", Schemas.object([("alerts", .array(items: Schemas.ref("AlertRule")))]))
      )
    ])

  private static let read = Operations.make(
    .get, tag: .alerts, id: "getAlert", summary: "One alert rule", parameters: [idParameter],
    responses: [(200, Operations.json("The rule.", Schemas.ref("AlertRule")))],
    problems: [404: "No rule of that id."])

  private static let update = Operations.make(
    .patch, tag: .alerts, id: "updateAlert", summary: "Rename, pause or resume a rule",
    parameters: [idParameter],
    body: Operations.jsonBody(
      Schemas.closedObject([
        ("name", .string(required: false, nullable: true, maxLength: 100)),
        ("enabled", .boolean(required: false)),
      ])),
    responses: [(200, Operations.json("The rule.", Schemas.ref("AlertRule")))],
    problems: [
      400: "An invalid field, or a field not accepted.", 404: "No rule of that id.",
      415: "A body that is not JSON and declares another type.",
    ])

  private static let delete = Operations.make(
    .delete, tag: .alerts, id: "deleteAlert", summary: "Remove a rule", parameters: [idParameter],
    responses: [(204, Operations.empty("Removed; alerts it fired stay in the log."))],
    problems: [404: "No rule of that id."])
}
