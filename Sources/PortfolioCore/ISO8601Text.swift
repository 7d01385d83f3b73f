/// `2026-11-25T04:17:54.123Z` from milliseconds since 1970, by calendar arithmetic: a history
/// answer formats thousands of times, and a general date formatter costs microseconds each.
public enum ISO8601Text {
  public static func milliseconds(_ milliseconds: Int64) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(24)
    write(milliseconds: milliseconds, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Appends the text to `output`; years outside 0...9999 are clamped to that range.
  public static func write(milliseconds: Int64, to output: inout [UInt8]) {
    let millisecondsPerDay: Int64 = 86_400_000
    let days = milliseconds.dividedRoundingDown(by: millisecondsPerDay)
    let inDay = milliseconds - days * millisecondsPerDay
    let (year, month, day) = civil(daysSince1970: days)
    let clampedYear = min(max(year, 0), 9999)
    digits(clampedYear, count: 4, to: &output)
    output.append(UInt8(ascii: "-"))
    digits(month, count: 2, to: &output)
    output.append(UInt8(ascii: "-"))
    digits(day, count: 2, to: &output)
    output.append(UInt8(ascii: "T"))
    digits(inDay / 3_600_000, count: 2, to: &output)
    output.append(UInt8(ascii: ":"))
    digits(inDay / 60_000 % 60, count: 2, to: &output)
    output.append(UInt8(ascii: ":"))
    digits(inDay / 1000 % 60, count: 2, to: &output)
    output.append(UInt8(ascii: "."))
    digits(inDay % 1000, count: 3, to: &output)
    output.append(UInt8(ascii: "Z"))
  }

  /// Howard Hinnant's `civil_from_days`: the proleptic Gregorian date of a day number.
  static func civil(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthIndex = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
    let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }

  private static func digits(_ value: Int64, count: Int, to output: inout [UInt8]) {
    var divisor: Int64 = 1
    for _ in 1..<count { divisor *= 10 }
    var rest = value
    while divisor > 0 {
      output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
      rest %= divisor
      divisor /= 10
    }
  }
}
