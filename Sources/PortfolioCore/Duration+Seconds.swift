extension Duration {
  /// The duration in seconds, fractions included: for rates, timeouts and figures in seconds.
  public var inSeconds: Double {
    Double(components.seconds) + Double(components.attoseconds) / 1e18
  }
}

extension Duration {
  /// Whole nanoseconds, saturating: for timers that take integers.
  public var inNanoseconds: Int64 {
    let (seconds, overflow) = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
    guard !overflow else { return components.seconds < 0 ? .min : .max }
    let (sum, carry) = seconds.addingReportingOverflow(components.attoseconds / 1_000_000_000)
    return carry ? .max : sum
  }
}
