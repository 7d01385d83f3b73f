import OpenAPIKit

/// The document's shared parts: schemas of every area, the problem responses, and the
/// security scheme the access tokens will use.
enum Components {
  static var all: OpenAPI.Components {
    let areas = [
      [("Problem", Problems.schema)], WalletPaths.schemas, ImportPaths.schemas, BalancePaths.schemas,
      PortfolioPaths.schemas, TokenPaths.schemas, ProbePaths.schemas,
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
              "An access token in `Authorization: Bearer …`. Declared for what comes; no operation requires it yet."
          ))
      ])
  }
}
