/// The RFC 8030 §5.3 `Urgency` values, which let a push service hold low-urgency messages
/// until a device is awake anyway.
public enum PushUrgency: String, CaseIterable, Sendable {
  case veryLow = "very-low"
  case low
  case normal
  case high
}
