import Metrics
import Storage

/// Deliveries for `/metrics`, by kind (`webhook`, `webpush`) and outcome: `delivered`,
/// `failed` (retried later), `gone` (the endpoint said 410), `skipped` (cannot be sent there),
/// and `gave_up` when an endpoint failing too long is disabled.
enum DeliveryMetrics {
  static func attempted(_ kind: EndpointKind, _ outcome: DeliveryOutcome) {
    let label =
      switch outcome {
      case .accepted: "delivered"
      case .failed: "failed"
      case .gone: "gone"
      case .skip: "skipped"
      }
    count(kind, label)
  }

  static func gaveUp(_ kind: EndpointKind) { count(kind, "gave_up") }

  private static func count(_ kind: EndpointKind, _ outcome: String) {
    Counter(label: "portfolio_deliveries_total", dimensions: [("kind", kind.rawValue), ("outcome", outcome)])
      .increment()
  }
}
