extension Int64 {
  /// The quotient rounded toward negative infinity (Swift's `/` rounds toward zero): the hour,
  /// day or bucket a time before 1970 falls in.
  public func dividedRoundingDown(by divisor: Int64) -> Int64 {
    let quotient = self / divisor
    return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
  }
}
