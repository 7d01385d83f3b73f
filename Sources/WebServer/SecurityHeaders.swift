import CWebSockets

/// Headers on every response, so a browser never sniffs a type, leaks a path to another site
/// or shows the server's pages inside another site's frame.
enum SecurityHeaders {
  /// On every response: lws adds them to each head it composes (the vhost's headers: the
  /// API's answers, files, lws' own answers such as a file's 304); `ClosingResponse` writes
  /// them itself. The content policy is added per kind of answer (a 304 keeps the stored one).
  /// `strict-origin-when-cross-origin` rather than `no-referrer`: under `no-referrer`, browsers
  /// that follow the Fetch standard send `Origin: null` with the dashboard's own writes, which
  /// the cross-origin check must refuse; this policy keeps their origin, and gives other sites
  /// the origin only, never a path (paths hold wallet ids), and nothing over plain HTTP.
  static let common: [(name: String, value: String)] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("x-frame-options", "DENY"),
  ]

  static let policyName = "content-security-policy"

  /// API answers and errors are data: they load nothing and are shown in no frame.
  static let apiPolicy = "default-src 'none'; frame-ancestors 'none'"

  /// The dashboard runs only its own files: scripts and styles from this server, none inline,
  /// its API and stream on the same origin (`'self'` covers ws: and wss: there), no frames.
  static let dashboardPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    + "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

  /// `common` as the linked list lws keeps for a vhost; the memory lives as long as `memory`.
  static func vhostList(memory: CAllocations) throws -> UnsafePointer<lws_protocol_vhost_options>? {
    var next: UnsafePointer<lws_protocol_vhost_options>?
    for (name, value) in common.reversed() {
      var option = lws_protocol_vhost_options()
      option.next = next
      option.name = try memory.string(name + ":")
      option.value = try memory.string(value)
      next = UnsafePointer(try memory.values(option))
    }
    return next
  }
}
