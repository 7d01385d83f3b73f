import OpenAPIKit

/// `/api/v1/push/…`: Web Push subscriptions of browsers and phones.
enum PushPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [
      ("/api/v1/push/vapid-public-key", OpenAPI.PathItem(get: publicKey)),
      ("/api/v1/push/subscriptions", OpenAPI.PathItem(get: list, post: subscribe)),
      ("/api/v1/push/subscriptions/{id}", OpenAPI.PathItem(delete: unsubscribe)),
    ]
  }

  static let schemas: [(String, JSONSchema)] = [
    (
      "PushSubscription",
      Schemas.object(
        [
          ("id", .string(format: .uuid)),
          ("endpoint", .string(format: .uri)),
          ("description", .string(nullable: true)),
          ("event_types", .array(items: WebhookPaths.eventType)),
          ("filters", .object),
          ("enabled", .boolean),
          ("disabled_reason", .string(nullable: true)),
          ("last_seq", .integer),
          ("pending_seq", .integer(nullable: true)),
          ("attempts", .integer(minimum: (0, exclusive: false))),
          ("next_attempt_at", Schemas.dateTime(nullable: true)),
          ("failing_since", Schemas.dateTime(nullable: true)),
          ("created_at", Schemas.dateTime()),
          ("updated_at", Schemas.dateTime()),
        ], description: "A browser's push subscription; removed when its push service answers 404 or 410.")
    )
  ]

  private static let publicKey = Operations.make(
    .get, tag: .push, id: "getVAPIDPublicKey",
    summary: "The key browsers subscribe with (applicationServerKey)",
    responses: [
      (
        200,
        Operations.json(
          "The server's VAPID public key.",
          Schemas.object([("public_key", .string(description: "base64url of the 65-byte P-256 point."))]))
      )
    ], canFail: false)

  private static let subscribe = Operations.make(
    .post, tag: .push, id: "subscribePush", summary: "Send events to a browser's push subscription",
    description: """
      The body is the browser's `PushSubscription.toJSON()`, with optional `event_types` \
      (`alert.triggered` only when absent) and `filters` as for webhooks. The same endpoint \
      again replaces its keys.
      """,
    body: Operations.jsonBody(
      Schemas.closedObject([
        ("endpoint", .string(format: .uri, description: "https; its host must resolve to public addresses.")),
        ("expirationTime", .integer(required: false, nullable: true)),
        (
          "keys",
          Schemas.closedObject([
            ("p256dh", .string(description: "base64url of the browser's 65-byte P-256 key.")),
            ("auth", .string(description: "base64url of its 16-byte auth secret.")),
          ])
        ),
        ("event_types", .array(required: false, nullable: true, items: WebhookPaths.eventType)),
        ("filters", .object(required: false, nullable: true)),
      ])),
    responses: [
      (201, Operations.created("The subscription.", Schemas.ref("PushSubscription"), path: "Its path.")),
      (
        200,
        Operations.json(
          "The same endpoint's subscription, its keys replaced.", Schemas.ref("PushSubscription"))
      ),
    ],
    problems: [
      400: "A missing or invalid endpoint, keys, event type or filter, or a field not accepted.",
      415: "A body that is not JSON and declares another type.",
      422: "The endpoint's host does not resolve, or resolves to a non-public address.",
    ])

  private static let list = Operations.make(
    .get, tag: .push, id: "listPushSubscriptions", summary: "The user's push subscriptions",
    responses: [
      (
        200,
        Operations.json(
          "The subscriptions.",
          Schemas.object([("subscriptions", .array(items: Schemas.ref("PushSubscription")))]))
      )
    ])

  private static let unsubscribe = Operations.make(
    .delete, tag: .push, id: "unsubscribePush", summary: "Stop sending to a push subscription",
    parameters: [.path(name: "id", schema: .string(format: .uuid), description: "The subscription's id.")],
    responses: [(204, Operations.empty("Removed."))], problems: [404: "No subscription of that id."])
}
