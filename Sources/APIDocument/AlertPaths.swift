import OpenAPIKit

/// `/api/v1/alerts`: the user's alert rules.
enum AlertPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [
      ("/api/v1/alerts", OpenAPI.PathItem(get: list, post: create)),
      ("/api/v1/alerts/{id}", OpenAPI.PathItem(get: read, delete: delete, patch: update)),
      ("/api/v1/alert-events", OpenAPI.PathItem(get: fired)),
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
          (
            "beyond",
            .boolean(
              nullable: true,
              description:
                "Value rules: whether the value was last seen past the level (fired, waiting to come back); "
                + "null before the rule's first look, and for other kinds.")
          ),
          ("last_fired_at", Schemas.dateTime(nullable: true, description: "When the rule last fired.")),
        ],
        description:
          "A rule; it fires once per crossing (value rules re-arm when the value goes back) into the stream, "
          + "webhooks and Web Push as alert.triggered.")
    ),
    (
      "FiredAlert",
      Schemas.object(
        [
          ("seq", .integer(minimum: (1, exclusive: false))),
          ("rule_id", .string(format: .uuid)),
          ("title", .string),
          ("message", .string),
          ("details", .object(description: "What the rule saw: the value, the change.")),
          ("at", Schemas.dateTime()),
        ], description: "An alert a rule fired, as `alert.triggered` webhooks carry it.")
    ),
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

  private static let fired = Operations.make(
    .get, tag: .alerts, id: "listFiredAlerts", summary: "The alerts the user's rules fired, newest first",
    parameters: [
      Operations.limit(maximum: 500, standard: 50),
      .query(
        name: "before", schema: .integer(minimum: (1, exclusive: false)),
        description: "Only alerts before this `seq`: `next_before` of the previous page."),
      .query(name: "rule_id", schema: .string(format: .uuid), description: "Only this rule's alerts."),
    ],
    responses: [
      (
        200,
        Operations.json(
          "A page of fired alerts.",
          Schemas.object([
            ("fired", .array(items: Schemas.ref("FiredAlert"))),
            (
              "next_before",
              .integer(nullable: true, description: "The next page's `before`; null on the last page.")
            ),
          ]))
      )
    ],
    problems: [400: "A `limit` out of range, or a malformed `before` or `rule_id`."])

  private static let delete = Operations.make(
    .delete, tag: .alerts, id: "deleteAlert", summary: "Remove a rule", parameters: [idParameter],
    responses: [(204, Operations.empty("Removed; alerts it fired stay in the log."))],
    problems: [404: "No rule of that id."])
}
