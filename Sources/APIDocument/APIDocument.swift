import Foundation
public import OpenAPIKit

/// The OpenAPI 3.1 description of the REST API, served at `GET /api/v1/openapi.json`. Built
/// from OpenAPIKit values, one file per area, so the compiler checks its shape; the route
/// table test and schemathesis check that it matches what the server really answers.
public enum APIDocument {
  public static let path = "/api/v1/openapi.json"

  /// - Parameter version: the server's version, shown as the document's `info.version`.
  public static func make(version: String) -> OpenAPI.Document {
    let areas = [
      WalletPaths.paths, ImportPaths.paths, BalancePaths.paths, PortfolioPaths.paths, TokenPaths.paths,
      ProbePaths.paths, UserPaths.paths, AccessTokenPaths.paths, WebhookPaths.paths,
      PushPaths.paths, AlertPaths.paths, ChainPaths.paths, BackupPaths.paths, MetricsPaths.paths,
    ]
    var paths: OpenAPI.PathItem.Map = [:]
    for area in areas {
      for (path, item) in area { paths[path] = .b(item) }
    }
    return OpenAPI.Document(
      openAPIVersion: .v3_1_1,
      info: .init(
        title: "crypto-portfolio-tracker", description: Self.description, version: version),
      servers: [],
      paths: paths,
      components: Components.all,
      tags: Tag.all.map { OpenAPI.Tag(name: $0.rawValue, description: $0.description) })
  }

  /// The document as JSON, keys sorted so the answer is stable from run to run.
  public static func json(version: String) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(make(version: version)))
  }

  static let description = """
    Tracks crypto wallets on EVM chains and Solana, reads their balances from the chains and \
    values them in USD. Amounts are exact decimal strings, never floating point; USD values \
    are decimal strings with two to six digits after the point, `null` where no price is known.

    Every error is an RFC 9457 `application/problem+json` body (the `Problem` schema). Besides \
    the statuses each operation lists, a path that exists answers 405 (with `Allow`) to a \
    method it does not serve, and an unknown path 404. HEAD is answered wherever GET is, \
    OPTIONS answers 204 with `Allow`, and a method the server does not implement at all \
    (TRACE, say) answers 501.

    The live stream at `/api/v1/stream` is a WebSocket; its messages are described in \
    docs/stream.md of the repository.

    Every operation but the probes and this document takes an access token (`bearerAuth`): \
    `read` tokens may GET, `write` tokens may also change their user's wallets and tokens, and \
    `admin` tokens may also manage users and access tokens. Each user sees only their own \
    wallets: another user's wallet answers 404 as an unknown one does. Where the server does \
    not ask for tokens (`server.auth_required` off, on loopback only), a request without one \
    acts for the first user with every scope.
    """
}
