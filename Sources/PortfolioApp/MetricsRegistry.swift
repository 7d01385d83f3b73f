import Metrics
import Prometheus

/// The process's one metrics registry. The modules count and time through swift-metrics;
/// the first use of `shared` points swift-metrics at this registry, and `/metrics` renders it.
enum MetricsRegistry {
  static let shared: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    var factory = PrometheusMetricsFactory(registry: registry)
    // From a cached HTTP answer (well under 1 ms) to a full poll of many wallets (a minute).
    factory.defaultDurationHistogramBuckets = [
      .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10),
      .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
      .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60),
    ]
    MetricsSystem.bootstrap(factory)
    return registry
  }()
}
