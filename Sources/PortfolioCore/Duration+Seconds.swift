extension Duration {
  /// The duration in seconds, fractions included: for rates, timeouts and figures in seconds.
  public var inSeconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}
