import OpenAPIKit

/// `/metrics`: the server's figures for Prometheus.
enum MetricsPaths {
  static var paths: [(OpenAPI.Path, OpenAPI.PathItem)] {
    [("/metrics", OpenAPI.PathItem(get: metrics))]
  }

  /// A token is optional: loopback clients may come without one.
  private static var metrics: OpenAPI.Operation {
    var operation = scrape
    operation.security = [[:], [.component(named: "bearerAuth"): []]]
    return operation
  }

  private static let scrape = Operations.make(
    .get, tag: .probes, id: "getMetrics", summary: "Figures for Prometheus", access: .open,
    description: """
      The Prometheus text format (0.0.4): HTTP requests by route template and status, stream \
      connections, subscriptions and frames, poll cycles, RPC requests and circuit breakers per \
      chain, SQLite write times, price refreshes, deliveries, and the process's memory and file \
      descriptors. No label names a wallet or an address. Open to clients on loopback while \
      `metrics.loopback_without_token` is true (a request with `X-Forwarded-For` or `Forwarded` \
      is not taken for one); otherwise it needs an admin token. Absent (404) when \
      `metrics.enabled` is false. docs/OPERATIONS.md lists every metric.
      """,
    responses: [
      (
        200,
        OpenAPI.Response(
          description: "The figures.",
          content: [
            .txt: .b(
              OpenAPI.Content(schema: .string(description: "Prometheus text exposition format 0.0.4.")))
          ])
      )
    ],
    problems: [
      401: "Not from loopback (or loopback without a token is off) and no access token.",
      403: "An access token whose scope is not admin.",
    ], rateLimited: false)
}
