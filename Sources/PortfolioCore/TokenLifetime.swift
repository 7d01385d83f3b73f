/// How long an access token lives, written as a number and a unit: `90m`, `12h`, `30d`, `8w`
/// (minutes, hours, days, weeks), up to ten years.
public enum TokenLifetime {
  public static let longest: Int64 = 10 * 366 * 86400

  /// The lifetime in whole seconds, or nil when `text` is not one.
  public static func seconds(_ text: String) -> Int64? {
    guard let unit = text.last, let count = Int64(text.dropLast()), count > 0 else { return nil }
    let perUnit: Int64
    switch unit {
    case "m": perUnit = 60
    case "h": perUnit = 3600
    case "d": perUnit = 86400
    case "w": perUnit = 7 * 86400
    default: return nil
    }
    let (seconds, overflow) = count.multipliedReportingOverflow(by: perUnit)
    return overflow || seconds > longest ? nil : seconds
  }

  public static let explanation = "a number and a unit: 90m, 12h, 30d or 8w, up to ten years"
}
