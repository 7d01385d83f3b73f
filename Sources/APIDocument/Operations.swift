import OpenAPIKit

/// Builds operations: their own answers, the problems their handlers report, and the
/// refusals any request can meet before it reaches a handler.
enum Operations {
  enum Method {
    case get, post, patch, delete

    /// The scope an operation needs unless it says otherwise: reading needs `read`.
    var standardAccess: Access { self == .get ? .scope("read") : .scope("write") }

    /// A chunked body is read only where a body is expected; elsewhere it is answered 411.
    var refusesChunkedBody: Bool { self == .get || self == .delete }
  }

  /// Why a request to any operation may be refused before its handler runs.
  static let refusals: [Int: String] = [
    400:
      "A malformed request: a control character in the path, a Content-Length that is not a number, "
      + "or body framing that contradicts itself.",
    413: "A body over `server.max_body_bytes` (1 MiB by default).",
    414: "A request target (path and query) of 8 KiB or more.",
    431: "A header field over 4 KiB; the detail names it.",
    501:
      "A transfer coding other than chunked, or a body pipelined behind another request on the same connection.",
    503: "The server is shutting down; retry shortly.",
  ]

  /// Who may call an operation.
  enum Access: Equatable {
    /// Anyone, with or without a token.
    case open
    /// A token of at least this scope: read, write or admin.
    case scope(String)
  }

  /// - Parameters:
  ///   - access: nil for the method's standard scope (`read` for GET, `write` otherwise).
  ///   - responses: the operation's own answers, success first.
  ///   - problems: the statuses its handler reports, with why; they replace the generic reasons.
  ///   - rateLimited: false for the probes, which are never limited.
  ///   - canFail: false where the handler reads nothing that can fail (no 500).
  static func make(
    _ method: Method, tag: Tag, id: String, summary: String, access: Access? = nil,
    description: String? = nil,
    parameters: [OpenAPI.Parameter] = [], body: OpenAPI.Request? = nil,
    responses: [(Int, OpenAPI.Response)], problems: [Int: String] = [:], rateLimited: Bool = true,
    canFail: Bool = true
  ) -> OpenAPI.Operation {
    let access = access ?? method.standardAccess
    var reasons = refusals
    if method.refusesChunkedBody { reasons[411] = "A chunked body: this method takes none." }
    var forbidden: [String] = []
    if case .scope(let scope) = access {
      reasons[401] =
        "No access token where the server asks for one, or one that is malformed, unknown, expired or "
        + "revoked; `WWW-Authenticate: Bearer` says which."
      if scope != "read" {
        forbidden.append(
          "A token whose scope does not cover this operation (it needs \(scope); `required_scope` and "
            + "`token_scope` say so)")
      }
    }
    if method != .get {
      forbidden.append(
        "A write from another site: an `Origin` that is neither the server's own nor on "
          + "`server.cors_allowed_origins` (`origin` names it), or `Sec-Fetch-Site: cross-site`")
    }
    if !forbidden.isEmpty { reasons[403] = forbidden.joined(separator: "; or ") + "." }
    if rateLimited {
      reasons[429] =
        "Over `rate_limit.requests` in a window for this access token (without one, from this address)."
    }
    if canFail { reasons[500] = "An unexpected failure; the server log has the cause." }
    reasons.merge(problems) { $1 }
    var map: OpenAPI.Response.Map = [:]
    for (status, response) in responses { map[.status(code: status)] = .b(response) }
    for (status, why) in reasons.sorted(by: { $0.key < $1.key }) {
      map[.status(code: status)] = Problems.reference(status, why)
    }
    let security: [OpenAPI.SecurityRequirement] =
      access == .open ? [] : [[.component(named: "bearerAuth"): []]]
    return OpenAPI.Operation(
      tags: [tag.rawValue], summary: summary, description: description, operationId: id,
      parameters: parameters.map { .b($0) }, requestBody: body, responses: map, security: security)
  }

  /// A JSON answer.
  static func json(_ description: String, _ schema: JSONSchema, headers: OpenAPI.Header.Map? = nil)
    -> OpenAPI.Response
  {
    OpenAPI.Response(
      description: description, headers: headers, content: [.json: .b(OpenAPI.Content(schema: schema))])
  }

  /// JSON, or with `Accept: text/csv` the same list as CSV with a header line, offered as a
  /// download (`Content-Disposition`).
  static func jsonOrCSV(_ description: String, _ schema: JSONSchema, columns: [String]) -> OpenAPI.Response {
    OpenAPI.Response(
      description: description
        + " With `Accept: text/csv` (ranked above `application/json`) the same as CSV, columns "
        + columns.map { "`\($0)`" }.joined(separator: ", ") + ".",
      content: [
        .json: .b(OpenAPI.Content(schema: schema)),
        .csv: .b(OpenAPI.Content(schema: .string(description: "RFC 4180 CSV with a header line."))),
      ])
  }

  /// A 201 with the JSON of what was made and its path in `Location`.
  static func created(_ description: String, _ schema: JSONSchema, path: String) -> OpenAPI.Response {
    json(
      description, schema,
      headers: ["Location": .b(OpenAPI.Header(schema: .string, description: path, required: true))])
  }

  /// An answer without a body.
  static func empty(_ description: String) -> OpenAPI.Response {
    OpenAPI.Response(description: description)
  }

  /// A JSON request body, with an example a client can send as it is.
  static func jsonBody(
    _ schema: JSONSchema, example: AnyCodable? = nil, required: Bool = true, description: String? = nil
  ) -> OpenAPI.Request {
    OpenAPI.Request(
      description: description, content: [.json: .b(OpenAPI.Content(schema: schema, example: example))],
      required: required)
  }

  /// A JSON object as an example value.
  static func example(_ members: [String: AnyCodable]) -> AnyCodable {
    AnyCodable(members)
  }

  /// The `{id}` of the wallet paths.
  static let walletID = OpenAPI.Parameter.path(
    name: "id", schema: Schemas.walletID,
    description: "The wallet's id; a malformed or unknown one answers 404.")

  /// `?limit=`: a page size.
  static func limit(maximum: Int, standard: Int) -> OpenAPI.Parameter {
    .query(
      name: "limit",
      schema: .integer(
        maximum: (maximum, exclusive: false), minimum: (1, exclusive: false), defaultValue: .init(standard)),
      description: "Page size, 1 to \(maximum) (\(standard) when absent).")
  }

  /// `?chain=`: only this chain.
  static let chainFilter = OpenAPI.Parameter.query(
    name: "chain", schema: Schemas.chainInput, description: "Only this chain.")
}
