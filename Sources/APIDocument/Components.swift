import OpenAPIKit

/// The document's shared parts: schemas of every area, the problem responses, and the
/// security scheme of the access tokens.
enum Components {
  static var all: OpenAPI.Components {
    let areas = [
      [("Problem", Problems.schema)], WalletPaths.schemas, ImportPaths.schemas, BalancePaths.schemas,
      PortfolioPaths.schemas, TokenPaths.schemas, ProbePaths.schemas, UserPaths.schemas,
      AccessTokenPaths.schemas, WebhookPaths.schemas, PushPaths.schemas, AlertPaths.schemas,
      ChainPaths.schemas, BackupPaths.schemas,
    ]
    var schemas: OpenAPI.ComponentDictionary<JSONSchema> = [:]
    for (name, schema) in areas.joined() { schemas[OpenAPI.ComponentKey(stringLiteral: name)] = schema }
    return OpenAPI.Components(
      schemas: schemas, responses: Problems.responses,
      securitySchemes: [
        "bearerAuth": .b(
          .http(
            scheme: "bearer",
            description:
              "An access token (`portfolio-server token create`, or `POST /api/v1/access-tokens`) in "
              + "`Authorization: Bearer cpt_…`. Required where `server.auth_required` is on (always off "
              + "loopback); elsewhere a request without one acts for the first user."
          ))
      ])
  }
}
