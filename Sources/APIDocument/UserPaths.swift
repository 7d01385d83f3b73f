import OpenAPIKit

/// `/api/v1/users` (admin): the people who share this server.
enum UserPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [
      ("/api/v1/users", OpenAPI.PathItem(get: list, post: create)),
      ("/api/v1/users/{name}", OpenAPI.PathItem(get: read, delete: delete)),
    ]
  }

  static let schemas: [(String, JSONSchema)] = [
    (
      "User",
      Schemas.object(
        [
          ("id", .integer(minimum: (1, exclusive: false))),
          ("name", userName),
          ("created_at", Schemas.dateTime()),
          ("wallets", .integer(description: "Wallets the user tracks.", minimum: (0, exclusive: false))),
          (
            "active_tokens",
            .integer(description: "Tokens neither revoked nor expired.", minimum: (0, exclusive: false))
          ),
        ], description: "A user. Wallets, their history and their stream topics are each user's own.")
    )
  ]

  static let userName = JSONSchema.string(
    description: "Letters, digits, '.', '_', '-' or '@'; unique without regard to case.",
    minLength: 1, maxLength: 64, pattern: "^[A-Za-z0-9._@-]+$")

  private static let nameParameter = OpenAPI.Parameter.path(
    name: "name", schema: .string, description: "The user's name, in any case.")

  private static let list = Operations.make(
    .get, tag: .users, id: "listUsers", summary: "Every user, oldest first", access: .scope("admin"),
    responses: [
      (200, Operations.json("The users.", Schemas.object([("users", .array(items: Schemas.ref("User")))])))
    ])

  private static let create = Operations.make(
    .post, tag: .users, id: "createUser", summary: "Add a user", access: .scope("admin"),
    description: "Give them a token next: `POST /api/v1/access-tokens` with their name.",
    body: Operations.jsonBody(
      Schemas.closedObject([("name", userName)]), example: Operations.example(["name": "alice"])),
    responses: [
      (
        201,
        Operations.created("The user.", Schemas.ref("User"), path: "The user's path.")
      )
    ],
    problems: [
      400: "A missing or invalid name, or a field not accepted.",
      409: "A user of that name exists (`existing_name`).",
      415: "A body that is not JSON and declares another type.",
    ])

  private static let read = Operations.make(
    .get, tag: .users, id: "getUser", summary: "One user", access: .scope("admin"),
    parameters: [nameParameter],
    responses: [(200, Operations.json("The user.", Schemas.ref("User")))],
    problems: [404: "No user of that name."])

  private static let delete = Operations.make(
    .delete, tag: .users, id: "deleteUser", summary: "Remove a user with their wallets, history and tokens",
    access: .scope("admin"), parameters: [nameParameter],
    responses: [(204, Operations.empty("Removed; their stream subscribers get wallet_removed."))],
    problems: [404: "No user of that name.", 409: "The caller's own user: another admin must remove it."])
}
