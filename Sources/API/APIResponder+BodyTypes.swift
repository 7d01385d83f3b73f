public import WebServer

extension APIResponder {
  /// Every body is JSON, but an import may also be CSV. The server refuses other types before
  /// reading the body, so a page of another site cannot send a form or text body instead.
  public func acceptedBodyTypes(for request: HTTPRequest) -> [String]? {
    request.path == WalletImportRoutes.path ? ["application/json", "text/csv"] : ["application/json"]
  }
}
