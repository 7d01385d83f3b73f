import API
import Foundation
import Logging
import OpenAPIKit
import PortfolioApp
import Testing
import WebServer

/// The API document served at `/api/v1/openapi.json` against the router: every routed method
/// and path is described, and everything described is routed.
@Suite struct OpenAPIDocumentTests {
  @Test func theDocumentCoversTheRouteTableExactly() async throws {
    try await TestServer.with { server in
      let reply = try await server.request("GET", "/api/v1/openapi.json")
      #expect(reply.status == 200)
      #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
      let document = try JSONDecoder().decode(OpenAPI.Document.self, from: reply.body)
      let coverage = RouteCoverage(
        routed: Self.routeTable(of: server.server), documented: Self.operations(of: document))
      #expect(coverage.undocumented.isEmpty, "routed but missing from the document: \(coverage.undocumented)")
      #expect(coverage.unrouted.isEmpty, "in the document but not routed: \(coverage.unrouted)")
      #expect(coverage.routed.count >= 19)
    }
  }

  @Test func theComparisonFailsForAGapEitherWay() async throws {
    try await TestServer.with { server in
      let reply = try await server.request("GET", "/api/v1/openapi.json")
      var document = try JSONDecoder().decode(OpenAPI.Document.self, from: reply.body)
      let routes = Self.routeTable(of: server.server)
      // A route the document lacks: drop one operation from the document.
      var tokens = try #require(document.paths["/api/v1/tokens"]?.b)
      tokens.delete = nil
      document.paths["/api/v1/tokens"] = .b(tokens)
      let missing = RouteCoverage(routed: routes, documented: Self.operations(of: document))
      #expect(missing.undocumented == [RouteSignature(method: "DELETE", path: "/api/v1/tokens")])
      // An operation no route serves: drop its route from the table.
      let fewer = routes.filter { $0 != RouteSignature(method: "GET", path: "/api/v1/live") }
      let extra = RouteCoverage(routed: fewer, documented: Self.operations(of: document))
      #expect(extra.unrouted == [RouteSignature(method: "GET", path: "/api/v1/live")])
    }
  }

  @Test func theDocumentIsValidOpenAPI31() async throws {
    try await TestServer.with { server in
      let reply = try await server.request("GET", "/api/v1/openapi.json")
      let document = try JSONDecoder().decode(OpenAPI.Document.self, from: reply.body)
      #expect(document.openAPIVersion.rawValue.hasPrefix("3.1."))
      #expect(document.info.version == PortfolioServer.version)
      try document.validate()
      // Every error is problem+json, so every 4xx and 5xx answer must say so.
      for route in document.routes {
        for endpoint in route.pathItem.endpoints {
          for (status, response) in endpoint.operation.responses where Int(status.rawValue) ?? 0 >= 400 {
            let resolved = try #require(document.components[response])
            #expect(
              resolved.content.keys.map(\.rawValue) == ["application/problem+json"],
              "\(endpoint.method.rawValue) \(route.path.rawValue) \(status.rawValue)")
          }
        }
      }
      #expect(document.components.securitySchemes["bearerAuth"] != nil)
      // Probes and the document are open; everything else takes a token and says so (for
      // /metrics, a token is one of two ways in).
      for route in document.routes {
        for endpoint in route.pathItem.endpoints {
          let open = [
            "/api/v1/ready", "/api/v1/live", "/api/v1/stream", "/api/v1/openapi.json",
          ]
          .contains(route.path.rawValue)
          let label = "\(endpoint.method.rawValue) \(route.path.rawValue)"
          #expect((endpoint.operation.security ?? []).isEmpty == open, "\(label)")
          #expect((endpoint.operation.responses[status: 401] != nil) == !open, "\(label)")
        }
      }
    }
  }

  /// What the router serves, from a responder built as the server builds its own.
  static func routeTable(of server: PortfolioServer) -> [RouteSignature] {
    APIResponder(
      database: server.database, balances: server.balances, live: server.live, frameLatency: FrameLatency(),
      authenticator: Authenticator(database: server.database, required: false), webhooks: server.webhooks,
      settings: .init(
        chains: server.config.chains.values.map(\.chain), version: PortfolioServer.version,
        rateLimitRequests: 0,
        rateLimitWindowSeconds: 60, subscribers: SubscriberCount(),
        metrics: (render: { [] }, loopbackWithoutToken: true)),
      logger: Logger(label: "test")
    ).routeTable
  }

  /// Every method on every path of the document.
  static func operations(of document: OpenAPI.Document) -> [RouteSignature] {
    document.routes.flatMap { route in
      route.pathItem.endpoints.map { RouteSignature(method: $0.method.rawValue, path: route.path.rawValue) }
    }
  }
}

/// The two differences between a route table and a document's operations.
struct RouteCoverage {
  let routed: Set<RouteSignature>
  /// Routed, and not in the document.
  let undocumented: Set<RouteSignature>
  /// In the document, and not routed.
  let unrouted: Set<RouteSignature>

  init(routed: [RouteSignature], documented: [RouteSignature]) {
    self.routed = Set(routed)
    let documented = Set(documented)
    undocumented = self.routed.subtracting(documented)
    unrouted = documented.subtracting(self.routed)
  }
}
