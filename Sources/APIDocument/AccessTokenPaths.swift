import OpenAPIKit

/// `/api/v1/access-tokens` (admin) and `/api/v1/me`.
enum AccessTokenPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [
      ("/api/v1/access-tokens", OpenAPI.PathItem(get: list, post: issue)),
      ("/api/v1/access-tokens/{id}", OpenAPI.PathItem(get: read, delete: revoke)),
      ("/api/v1/me", OpenAPI.PathItem(get: me)),
    ]
  }

  static let scope = JSONSchema.string(
    description:
      "read: GET only; write: also change the user's own wallets and tokens; admin: also users and access tokens.",
    allowedValues: "read", "write", "admin")

  static let schemas: [(String, JSONSchema)] = [
    (
      "AccessToken",
      Schemas.object(
        [
          ("id", .integer(minimum: (1, exclusive: false))),
          ("user", .string(description: "The user the token acts for.")),
          ("name", .string(nullable: true, description: "A label to tell tokens apart.")),
          ("scope", scope),
          ("prefix", .string(description: "The token's first 12 characters, to recognise it by.")),
          ("created_at", Schemas.dateTime()),
          ("expires_at", Schemas.dateTime(nullable: true, description: "null: until revoked.")),
          ("last_used_at", Schemas.dateTime(nullable: true, description: "Updated at most once a minute.")),
          ("revoked_at", Schemas.dateTime(nullable: true)),
          ("active", .boolean(description: "Neither revoked nor expired.")),
        ], description: "An access token; its secret is shown only when it is issued.")
    ),
    (
      "IssuedAccessToken",
      .all(
        of: [
          Schemas.ref("AccessToken"),
          Schemas.object([
            ("token", .string(description: "The secret: cpt_ and 43 characters. Shown only this once."))
          ]),
        ], core: .init(description: "A token just issued, with its secret."))
    ),
    (
      "Me",
      Schemas.object(
        [
          ("user", .string),
          ("user_id", .integer(minimum: (1, exclusive: false))),
          ("scope", scope),
          ("token", Schemas.nullableRef("AccessToken")),
          ("auth_required", .boolean(description: "Whether the server asks every request for a token.")),
        ], description: "Who a request acts for; `token` is null where no token was needed.")
    ),
  ]

  private static let idParameter = OpenAPI.Parameter.path(
    name: "id", schema: .integer, description: "The token's id; an unknown one answers 404.")

  private static let list = Operations.make(
    .get, tag: .accessTokens, id: "listAccessTokens", summary: "Access tokens, oldest first (never secrets)",
    access: .scope("admin"),
    parameters: [.query(name: "user", schema: .string, description: "Only this user's tokens.")],
    responses: [
      (
        200,
        Operations.json(
          "The tokens, revoked and expired ones included.",
          Schemas.object([("access_tokens", .array(items: Schemas.ref("AccessToken")))]))
      )
    ],
    problems: [400: "No user of the name given in `user`."])

  private static let issue = Operations.make(
    .post, tag: .accessTokens, id: "issueAccessToken", summary: "Issue an access token",
    access: .scope("admin"),
    body: Operations.jsonBody(
      Schemas.closedObject([
        (
          "user",
          .string(required: false, nullable: true, description: "Whose token; the caller's own when absent.")
        ),
        ("scope", scope),
        (
          "name",
          .string(required: false, nullable: true, description: "A label, e.g. phone.", maxLength: 100)
        ),
        (
          "expires_in",
          .string(
            required: false, nullable: true,
            description: "Lifetime: 90m, 12h, 30d or 8w, up to ten years; until revoked when absent.",
            pattern: "^[0-9]+[mhdw]$")
        ),
      ]),
      example: Operations.example(["user": "alice", "scope": "read", "name": "phone", "expires_in": "30d"])),
    responses: [
      (
        201,
        Operations.created(
          "The token with its secret, shown only this once.", Schemas.ref("IssuedAccessToken"),
          path: "The token's path.")
      )
    ],
    problems: [
      400: "A missing or invalid scope, an unknown user, a bad lifetime or label, or a field not accepted.",
      415: "A body that is not JSON and declares another type.",
    ])

  private static let read = Operations.make(
    .get, tag: .accessTokens, id: "getAccessToken", summary: "One access token (never its secret)",
    access: .scope("admin"), parameters: [idParameter],
    responses: [(200, Operations.json("The token.", Schemas.ref("AccessToken")))],
    problems: [404: "No token of that id."])

  private static let revoke = Operations.make(
    .delete, tag: .accessTokens, id: "revokeAccessToken", summary: "Revoke an access token",
    access: .scope("admin"),
    description: "Takes effect at once; stream connections it opened are closed (4401) within 5 s.",
    parameters: [idParameter],
    responses: [(204, Operations.empty("Revoked (revoking again changes nothing)."))],
    problems: [404: "No token of that id."])

  private static let me = Operations.make(
    .get, tag: .accessTokens, id: "getMe", summary: "Who this request acts for",
    responses: [(200, Operations.json("The user and scope.", Schemas.ref("Me")))])
}
