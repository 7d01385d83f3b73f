import Foundation

/// The declared type of a request body against the types its path takes. Another site's page
/// can send a form or `text/plain` body without asking first (a CORS "simple" request) but not
/// a JSON one, so refusing every other type closes that path even where no `Origin` is sent.
enum BodyMediaType {
  /// The media type of a `Content-Type` value: lower case, without parameters.
  static func essence(_ contentType: String) -> String {
    let type = contentType.split(separator: ";", maxSplits: 1).first ?? ""
    return type.trimmingCharacters(in: .whitespaces).lowercased()
  }

  /// The 415 for a body whose type is not accepted; nil when it is.
  static func refusal(method: HTTPMethod, contentType: String?, accepted: [String]) -> HTTPResponse? {
    let declared = contentType.map(essence) ?? ""
    guard !accepted.contains(declared) else { return nil }
    let expected = accepted.joined(separator: " or ")
    let detail =
      declared.isEmpty
      ? "The body has no Content-Type; send it as \(expected)."
      : "Send the body as \(expected), not \(String(declared.prefix(100)))."
    var response = Problem(
      status: 415, title: "Unsupported Media Type", detail: detail,
      extensions: ["accepted_types": .strings(accepted)]
    ).response
    // RFC 9110 §15.5.16: say which types the method takes on this resource.
    if method == .post { response.headers.append(("accept-post", accepted.joined(separator: ", "))) }
    if method == .patch { response.headers.append(("accept-patch", accepted.joined(separator: ", "))) }
    return response
  }
}
