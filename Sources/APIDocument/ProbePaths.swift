import OpenAPIKit

/// The probes, the WebSocket stream's entry and this document.
enum ProbePaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [
      ("/api/v1/health", OpenAPI.PathItem(get: health)),
      ("/api/v1/ready", OpenAPI.PathItem(get: ready)),
      ("/api/v1/live", OpenAPI.PathItem(get: live)),
      ("/api/v1/stream", OpenAPI.PathItem(get: stream)),
      (OpenAPI.Path(rawValue: APIDocument.path), OpenAPI.PathItem(get: document)),
    ]
  }

  static let schemas: [(String, JSONSchema)] = [
    (
      "ChainHealth",
      Schemas.object(
        [
          (
            "status",
            .string(
              description: """
                ok: the last poll read the chain, within 3 poll intervals (30 s at least), and every \
                endpoint takes requests. degraded: the last poll failed, the last good read is older \
                than that, one of several endpoints is shut out by its circuit breaker, or the chain \
                was not read yet. down: every endpoint's breaker is open, or no good read within 10 \
                poll intervals (120 s at least); it stays down until a good read.
                """,
              allowedValues: "ok", "degraded", "down")
          ),
          (
            "reason",
            .string(
              nullable: true, description: "Why the chain is not ok; null when it is.",
              allowedValues: "not_read_yet", "failing", "stale", "endpoint_unavailable",
              "no_endpoint_available", "no_good_read", nil)
          ),
          ("since", Schemas.dateTime(description: "When the chain entered its status.")),
          (
            "last_good_read",
            Schemas.dateTime(
              nullable: true, description: "The last poll that read the chain (a head check or a full read).")
          ),
          ("last_success", Schemas.dateTime(nullable: true, description: "The last full read that worked.")),
          (
            "last_error",
            .string(nullable: true, description: "The last poll's failure; node URLs in it are redacted.")
          ),
          ("last_error_at", Schemas.dateTime(nullable: true)),
          ("head", .integer(nullable: true, description: "The last head seen (block or slot).")),
          ("read_at", .integer(nullable: true, description: "The block or slot of the last full read.")),
          ("last_read_seconds", .number(nullable: true, description: "How long the last full read took.")),
          ("lag_seconds", .number(nullable: true, description: "Seconds since the last full read.")),
          ("consecutive_failures", .integer(minimum: (0, exclusive: false))),
          ("wallets", .integer(minimum: (0, exclusive: false))),
          ("last_read_wallets", .integer(minimum: (0, exclusive: false))),
          ("endpoints", .array(items: Schemas.ref("ChainEndpoint"))),
        ], description: "One chain's health and poller.")
    ),
    (
      "ChainEndpoint",
      Schemas.object(
        [
          (
            "url",
            .string(
              description:
                "The node URL without userinfo or query; path segments that look like keys read `***`.")
          ),
          ("breaker", .string(allowedValues: "closed", "open", "half_open")),
        ], description: "One node of the chain, in configured order (later ones are failovers).")
    ),
    (
      "Health",
      Schemas.object([
        ("status", .string(allowedValues: "ok", "degraded")),
        ("version", .string),
        ("started_at", Schemas.dateTime()),
        ("uptime_seconds", .integer(minimum: (0, exclusive: false))),
        ("database", .string(allowedValues: "ok", "unreadable")),
        ("wallets", .integer(nullable: true, description: "null when the database cannot be read.")),
        ("chains", .object(additionalProperties: .b(Schemas.ref("ChainHealth")))),
        (
          "subscribers",
          .integer(description: "Stream connections following a topic.", minimum: (0, exclusive: false))
        ),
        (
          "stream",
          Schemas.object(
            [
              ("frames", .integer(minimum: (0, exclusive: false))),
              ("read_to_write_p50_ms", .number(required: false)),
              ("read_to_write_p99_ms", .number(required: false)),
              ("read_to_write_max_ms", .number(required: false)),
            ], description: "From a poller's read to each diff frame's write, over recent frames.")
        ),
        (
          "prices",
          Schemas.object(
            [
              ("last_refresh", Schemas.dateTime(nullable: true)),
              ("assets_held", .integer(minimum: (0, exclusive: false))),
              ("assets_priced", .integer(minimum: (0, exclusive: false))),
              ("requests", .integer(minimum: (0, exclusive: false))),
            ], description: "The last price refresh; null when no price source is configured.", nullable: true
          )
        ),
      ])
    ),
  ]

  private static func status(_ value: String) -> JSONSchema {
    Schemas.object([("status", .string(allowedValues: .init(value)))])
  }

  private static let health = Operations.make(
    .get, tag: .probes, id: "getHealth", summary: "Overall state, per chain, stream and prices",
    responses: [
      (
        200,
        Operations.json(
          "The state; `status` is degraded when the database cannot be read or a chain is not ok.",
          Schemas.ref("Health"))
      )
    ],
    rateLimited: false)

  private static let ready = Operations.make(
    .get, tag: .probes, id: "getReady", summary: "Whether the database answers", access: .open,
    responses: [(200, Operations.json("Ready.", status("ready")))],
    problems: [503: "The database cannot be read, or the server is shutting down."], rateLimited: false)

  private static let live = Operations.make(
    .get, tag: .probes, id: "getLive", summary: "Whether the process serves", access: .open,
    responses: [(200, Operations.json("Alive.", status("alive")))], rateLimited: false, canFail: false)

  private static let stream = Operations.make(
    .get, tag: .stream, id: "openStream", summary: "The live stream (WebSocket)", access: .open,
    description: """
      A WebSocket upgrade (`Connection: Upgrade`, `Upgrade: websocket`). Subscribe with \
      `{"op":"subscribe","topic":"portfolio"}` or `"wallet:<id>"`, then receive a snapshot and \
      a diff per change, each with its `seq`; resume with `since` and `epoch`. The `chains` \
      topic sends each chain's health (`chain_status`) now and on every change. docs/stream.md \
      in the repository describes every frame and close code.
      """,
    responses: [(101, Operations.empty("Switching to the WebSocket protocol."))],
    problems: [426: "A plain HTTP request, without the WebSocket upgrade."], canFail: false)

  private static let document = Operations.make(
    .get, tag: .meta, id: "getOpenAPIDocument", summary: "This OpenAPI 3.1 document", access: .open,
    responses: [(200, Operations.json("The document.", .object(description: "An OpenAPI 3.1 document.")))],
    canFail: false)
}
