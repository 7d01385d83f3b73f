import OpenAPIKit

/// RFC 9457 problem details: the schema every error body has, and one response component per
/// status the server answers with.
enum Problems {
  static let contentType = OpenAPI.ContentType.other("application/problem+json")

  static let schema = JSONSchema.object(
    description: "RFC 9457 problem details. Members beyond the four standard ones say what to fix.",
    properties: [
      "type": .string(format: .uriReference, description: "Always about:blank for now."),
      "title": .string(description: "The status's reason phrase."),
      "status": .integer(maximum: (599, exclusive: false), minimum: (100, exclusive: false)),
      "detail": .string(description: "What went wrong, and how to fix it."),
      "field": .string(required: false, description: "The field or query parameter at fault."),
      "chain": .string(required: false, description: "The chain concerned."),
      "suggestion": .string(required: false, description: "The checksummed address to use instead."),
      "supported_chains": .array(required: false, items: .string),
      "existing_id": .string(
        format: .uuid, required: false, description: "The id of the wallet already tracked."),
      "allowed_methods": .array(required: false, items: .string),
      "origin": .string(required: false),
      "accepted_types": .array(required: false, items: .string),
      "retry_after_seconds": .integer(required: false),
      "limit_bytes": .integer(required: false),
      "max_rows": .integer(required: false),
      "required_scope": .string(required: false, description: "The scope the operation needs."),
      "token_scope": .string(required: false, description: "The scope of the token presented."),
      "existing_name": .string(required: false, description: "The name already taken."),
      "name": .string(required: false),
    ])

  /// A response component per status: its name, reason and what it generally means.
  static let statuses: [Int: (name: String, description: String)] = [
    400: ("BadRequest", "A missing or mistyped field (`field` names it), or a malformed request."),
    401: ("Unauthorized", "No access token, or one that is not valid; `WWW-Authenticate: Bearer` says why."),
    403: (
      "Forbidden",
      "A token whose scope does not allow the operation, or a cross-site write refused (`origin` names the origin)."
    ),
    404: ("NotFound", "No such resource."),
    405: ("MethodNotAllowed", "The path exists, without this method; `Allow` lists the methods it has."),
    409: ("Conflict", "Already tracked."),
    411: ("LengthRequired", "A chunked body on a method that takes none."),
    413: ("ContentTooLarge", "A body over `server.max_body_bytes` (1 MiB by default)."),
    414: ("URITooLong", "A request target (path and query) of 8 KiB or more."),
    415: ("UnsupportedMediaType", "A body that is not of a type this operation reads."),
    422: ("UnprocessableContent", "The request is well formed but names something unusable."),
    426: ("UpgradeRequired", "A plain HTTP request where a WebSocket upgrade is needed."),
    429: (
      "TooManyRequests",
      "Over `rate_limit.requests` in a window for this token (without one, this address); retry after "
        + "`Retry-After` seconds."
    ),
    431: ("HeaderFieldsTooLarge", "A header field over 4 KiB; the detail names it."),
    500: ("InternalServerError", "An unexpected failure; the server log has the cause."),
    501: (
      "NotImplemented", "A transfer coding other than chunked, or a body pipelined behind another request."
    ),
    502: ("BadGateway", "A chain node answered garbage or an error; `chain` names it."),
    503: ("ServiceUnavailable", "The server is shutting down, or a dependency is unavailable."),
    504: ("GatewayTimeout", "A chain node, or the read it was asked for, took too long; `chain` names it."),
  ]

  /// The response components, named as in `statuses`, with the headers some carry.
  static var responses: OpenAPI.ComponentReferenceDictionary<OpenAPI.Response> {
    var responses: OpenAPI.ComponentReferenceDictionary<OpenAPI.Response> = [:]
    for (status, entry) in statuses.sorted(by: { $0.key < $1.key }) {
      responses[OpenAPI.ComponentKey(stringLiteral: entry.name)] = .b(
        OpenAPI.Response(
          description: entry.description, headers: headers(status), content: content))
    }
    return responses
  }

  static var content: OpenAPI.Content.Map {
    [contentType: .b(OpenAPI.Content(schema: Schemas.ref("Problem")))]
  }

  private static func headers(_ status: Int) -> OpenAPI.Header.Map? {
    switch status {
    case 401:
      [
        "WWW-Authenticate": .b(
          OpenAPI.Header(
            schema: .string, description: "Bearer, with error=\"invalid_token\" for a token refused.",
            required: true))
      ]
    case 405:
      [
        "Allow": .b(
          OpenAPI.Header(schema: .string, description: "The methods the path serves.", required: true))
      ]
    case 426:
      ["Upgrade": .b(OpenAPI.Header(schema: .string, description: "websocket", required: true))]
    case 429:
      ["Retry-After": .b(OpenAPI.Header(schema: .integer, description: "Seconds to wait.", required: true))]
    default:
      nil
    }
  }

  /// A reference to the status's response component, with this operation's reason.
  static func reference(_ status: Int, _ why: String?) -> Either<
    OpenAPI.Reference<OpenAPI.Response>, OpenAPI.Response
  > {
    let name = statuses[status]?.name ?? "InternalServerError"
    return .a(.component(named: name, description: why))
  }
}
