import OpenAPIKit

/// `/api/v1/webhooks`: endpoints sent the user's events (Standard Webhooks).
enum WebhookPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [
      ("/api/v1/webhooks", OpenAPI.PathItem(get: list, post: create)),
      ("/api/v1/webhooks/{id}", OpenAPI.PathItem(get: read, delete: delete, patch: update)),
      ("/api/v1/webhooks/{id}/deliveries", OpenAPI.PathItem(get: deliveries)),
      ("/api/v1/webhooks/{id}/redeliver", OpenAPI.PathItem(post: redeliver)),
      ("/api/v1/webhooks/{id}/ping", OpenAPI.PathItem(post: ping)),
      ("/api/v1/webhooks/{id}/rotate-secret", OpenAPI.PathItem(post: rotate)),
    ]
  }

  static let eventType = JSONSchema.string(
    allowedValues: "balance.changed", "value.changed", "wallet.added", "wallet.removed", "alert.triggered")

  private static let filterFields: [(String, JSONSchema)] = [
    ("wallets", .array(required: false, nullable: true, items: .string(format: .uuid))),
    ("chains", .array(required: false, nullable: true, items: Schemas.chainInput)),
    (
      "assets",
      .array(
        required: false, nullable: true, description: "Symbols or token addresses, in any case.",
        items: .string)
    ),
    (
      "min_usd",
      .string(
        required: false, nullable: true, description: "Only balance changes worth at least this many USD.",
        pattern: "^[0-9]+(\\.[0-9]+)?$")
    ),
  ]

  static let schemas: [(String, JSONSchema)] = [
    (
      "Webhook",
      Schemas.object(
        [
          ("id", .string(format: .uuid)),
          ("url", .string(format: .uri)),
          ("description", .string(nullable: true)),
          ("event_types", .array(items: eventType)),
          (
            "filters",
            Schemas.object(filterFields.map { ($0.0, $0.1.requiredSchemaObject()) })
          ),
          ("enabled", .boolean),
          ("disabled_reason", .string(nullable: true)),
          ("last_seq", .integer(description: "The last event delivered or passed over.")),
          ("pending_seq", .integer(nullable: true, description: "The event being delivered.")),
          ("attempts", .integer(minimum: (0, exclusive: false))),
          ("next_attempt_at", Schemas.dateTime(nullable: true)),
          ("failing_since", Schemas.dateTime(nullable: true)),
          ("created_at", Schemas.dateTime()),
          ("updated_at", Schemas.dateTime()),
        ], description: "An endpoint sent the user's events, one at a time, in order.")
    ),
    (
      "NewWebhook",
      .all(
        of: [
          Schemas.ref("Webhook"),
          Schemas.object([
            ("secret", .string(description: "whsec_ and base64 of 32 random bytes; shown only this once."))
          ]),
        ], core: .init(description: "A webhook just made, with its signing secret."))
    ),
    (
      "WebhookDelivery",
      Schemas.object([
        ("id", .integer),
        ("seq", .integer),
        ("event_type", .string),
        (
          "message_id",
          .string(description: "The webhook-id header: the same for every attempt of the event.")
        ),
        ("attempt", .integer(minimum: (1, exclusive: false))),
        ("attempted_at", Schemas.dateTime()),
        ("status", .integer(nullable: true, description: "null when no answer came.")),
        ("latency_ms", .integer(minimum: (0, exclusive: false))),
        ("response", .string(nullable: true, description: "The answer's first 512 bytes.")),
        ("error", .string(nullable: true)),
      ])
    ),
  ]

  private static let idParameter = OpenAPI.Parameter.path(
    name: "id", schema: .string(format: .uuid), description: "The webhook's id; another user's answers 404.")

  private static let webhookInput = Schemas.closedObject([
    ("url", .string(format: .uri, description: "http(s); its host must resolve to public addresses.")),
    ("description", .string(required: false, nullable: true, maxLength: 200)),
    (
      "event_types",
      .array(required: false, nullable: true, description: "All when absent.", items: eventType)
    ),
    ("filters", Schemas.closedObject(filterFields).optionalSchemaObject()),
  ])

  private static let create = Operations.make(
    .post, tag: .webhooks, id: "createWebhook", summary: "Send the user's events to a URL",
    description: """
      Each event is POSTed as `{"type", "timestamp", "data"}` with the Standard Webhooks headers \
      `webhook-id`, `webhook-timestamp` and `webhook-signature`, one at a time in `seq` order, \
      retried with backoff until a 2xx; 410 disables the endpoint, as does failing for \
      `notifications.retry_for`. It is sent events from now on.
      """,
    body: Operations.jsonBody(
      webhookInput, example: Operations.example(["url": "https://example.com/hooks/portfolio"])),
    responses: [
      (201, Operations.created("The webhook with its secret.", Schemas.ref("NewWebhook"), path: "Its path."))
    ],
    problems: [
      400: "A missing or invalid URL, event type or filter, or a field not accepted.",
      415: "A body that is not JSON and declares another type.",
      422: "The URL's host does not resolve, or resolves to a loopback, private or link-local address.",
    ])

  private static let list = Operations.make(
    .get, tag: .webhooks, id: "listWebhooks", summary: "The user's webhooks",
    responses: [
      (
        200,
        Operations.json(
          "The webhooks.", Schemas.object([("webhooks", .array(items: Schemas.ref("Webhook")))]))
      )
    ])

  private static let read = Operations.make(
    .get, tag: .webhooks, id: "getWebhook", summary: "One webhook and its delivery state",
    parameters: [idParameter],
    responses: [(200, Operations.json("The webhook (never its secret).", Schemas.ref("Webhook")))],
    problems: [404: "No webhook of that id."])

  private static let update = Operations.make(
    .patch, tag: .webhooks, id: "updateWebhook", summary: "Change a webhook, or enable it again",
    parameters: [idParameter],
    body: Operations.jsonBody(
      Schemas.closedObject([
        ("url", .string(format: .uri, required: false)),
        ("description", .string(required: false, nullable: true, maxLength: 200)),
        ("event_types", .array(required: false, nullable: true, items: eventType)),
        ("filters", Schemas.closedObject(filterFields).optionalSchemaObject()),
        ("enabled", .boolean(required: false, description: "true retries the pending event at once.")),
      ])),
    responses: [(200, Operations.json("The webhook.", Schemas.ref("Webhook")))],
    problems: [
      400: "An invalid field, or a field not accepted.", 404: "No webhook of that id.",
      415: "A body that is not JSON and declares another type.",
      422: "The URL's host does not resolve, or resolves to a non-public address.",
    ])

  private static let delete = Operations.make(
    .delete, tag: .webhooks, id: "deleteWebhook", summary: "Stop sending and forget a webhook",
    parameters: [idParameter], responses: [(204, Operations.empty("Removed with its delivery log."))],
    problems: [404: "No webhook of that id."])

  private static let deliveries = Operations.make(
    .get, tag: .webhooks, id: "listWebhookDeliveries", summary: "Delivery attempts, newest first",
    parameters: [
      idParameter, Operations.limit(maximum: 500, standard: 50),
      .query(
        name: "before", schema: .integer(minimum: (1, exclusive: false)), description: "From `next_before`."),
    ],
    responses: [
      (
        200,
        Operations.json(
          "The attempts (the newest 1,000 are kept).",
          Schemas.object([
            ("deliveries", .array(items: Schemas.ref("WebhookDelivery"))),
            ("next_before", .integer(nullable: true)),
          ]))
      )
    ],
    problems: [400: "A `before` or `limit` out of range.", 404: "No webhook of that id."])

  private static let redeliver = Operations.make(
    .post, tag: .webhooks, id: "redeliverWebhook", summary: "Send events again from a seq on",
    parameters: [idParameter],
    body: Operations.jsonBody(
      Schemas.closedObject([("from_seq", .integer(minimum: (1, exclusive: false)))]),
      example: Operations.example(["from_seq": 1])),
    responses: [
      (202, Operations.json("The webhook, enabled, its cursor moved back.", Schemas.ref("Webhook")))
    ],
    problems: [
      400: "A missing or invalid `from_seq`, or a field not accepted.", 404: "No webhook of that id.",
      415: "A body that is not JSON and declares another type.",
    ])

  private static let ping = Operations.make(
    .post, tag: .webhooks, id: "pingWebhook", summary: "Send a signed `ping` message now",
    parameters: [idParameter],
    responses: [
      (
        200,
        Operations.json(
          "How the endpoint answered.",
          Schemas.object([
            ("status", .integer(nullable: true)), ("ok", .boolean), ("latency_ms", .integer),
            ("response", .string(nullable: true)), ("error", .string(nullable: true)),
          ]))
      )
    ],
    problems: [404: "No webhook of that id."])

  private static let rotate = Operations.make(
    .post, tag: .webhooks, id: "rotateWebhookSecret",
    summary: "Make a new secret; the old one signs too for 24 h",
    parameters: [idParameter],
    responses: [
      (
        200,
        Operations.json(
          "The new secret, shown only this once.",
          Schemas.object([("secret", .string), ("previous_valid_until", Schemas.dateTime(nullable: true))]))
      )
    ],
    problems: [404: "No webhook of that id."])
}
