import CCurl
import Foundation

/// The client's thread: starts submitted transfers, drives libcurl, and resumes each waiting
/// task exactly once with its response or error.
final class CurlLoop {
  private let multi: MultiHandle
  private let options: HTTPClientOptions
  private var running: [UInt64: (transfer: CurlTransfer, easy: CurlEasy)] = [:]
  private var idleHandles: [CurlEasy] = []

  init(multi: MultiHandle, options: HTTPClientOptions) {
    self.multi = multi
    self.options = options
  }

  func run(take: () -> (new: [HTTPClient.Submission], cancelled: Set<UInt64>, stop: Bool)) {
    guard let handle = multi.pointer else {
      // Without a multi handle every request fails; keep answering until shutdown.
      while true {
        let (new, _, stop) = take()
        for submission in new {
          submission.continuation.resume(
            throwing: HTTPClientError(
              kind: .transport, code: 0, url: submission.request.url, message: "libcurl failed to start"))
        }
        if stop { return }
        usleep(10_000)
      }
    }
    while true {
      let (new, cancelled, stop) = take()
      for submission in new { start(submission, on: handle) }
      for id in cancelled { finish(id, on: handle, error: .cancelled, message: "request cancelled") }
      if stop {
        for id in Array(running.keys) {
          finish(id, on: handle, error: .shutDown, message: "the HTTP client is shut down")
        }
        return
      }
      var active: Int32 = 0
      _ = curl_multi_perform(handle, &active)
      collectFinished(on: handle)
      _ = curl_multi_poll(handle, nil, 0, 1000, nil)
    }
  }

  private func start(_ submission: HTTPClient.Submission, on multi: UnsafeMutableRawPointer) {
    let transfer = CurlTransfer(
      id: submission.id, request: submission.request,
      maxResponseBytes: submission.request.maxResponseBytes ?? options.maxResponseBytes,
      continuation: submission.continuation)
    guard let easy = idleHandles.popLast() ?? CurlEasy(), easy.configure(transfer, options: options),
      curl_multi_add_handle(multi, easy.handle) == CURLM_OK
    else {
      transfer.continuation.resume(
        throwing: HTTPClientError(
          kind: .transport, code: 0, url: transfer.request.url,
          message: "libcurl refused the request (is the URL valid?)"))
      return
    }
    running[transfer.id] = (transfer, easy)
  }

  private func collectFinished(on multi: UnsafeMutableRawPointer) {
    var queued: Int32 = 0
    while let message = curl_multi_info_read(multi, &queued) {
      guard message.pointee.msg == CURLMSG_DONE, let easyPointer = message.pointee.easy_handle else {
        continue
      }
      var user: UnsafeMutableRawPointer?
      _ = portfolio_curl_getinfo_pointer(easyPointer, CURLINFO_PRIVATE, &user)
      guard let user else { continue }
      let transfer = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
      let code = message.pointee.data.result
      if code == CURLE_OK, let entry = running[transfer.id] {
        let response = HTTPClientResponse(
          status: entry.easy.responseCode, headers: transfer.headers, body: transfer.body)
        release(transfer.id, on: multi)
        transfer.continuation.resume(returning: response)
      } else {
        let refused = transfer.refusedAddress.pointee != 0
        let kind = refused ? .privateAddress : Self.kind(of: code, bodyTooLarge: transfer.bodyTooLarge)
        let detail =
          transfer.errorText.isEmpty ? String(cString: curl_easy_strerror(code)) : transfer.errorText
        let limit = transfer.maxResponseBytes
        let message =
          switch kind {
          case .responseTooLarge: "response larger than \(limit) bytes"
          case .privateAddress: "the address it resolves to is not public (loopback, private or link-local)"
          default: detail
          }
        finish(transfer.id, on: multi, error: kind, message: message, code: Int(code.rawValue))
      }
    }
  }

  private func finish(
    _ id: UInt64, on multi: UnsafeMutableRawPointer, error kind: HTTPClientError.Kind, message: String,
    code: Int = 0
  ) {
    guard let entry = running[id] else { return }
    release(id, on: multi)
    entry.transfer.continuation.resume(
      throwing: HTTPClientError(kind: kind, code: code, url: entry.transfer.request.url, message: message))
  }

  /// Detaches the easy handle and keeps it for the next request.
  private func release(_ id: UInt64, on multi: UnsafeMutableRawPointer) {
    guard let entry = running.removeValue(forKey: id) else { return }
    _ = curl_multi_remove_handle(multi, entry.easy.handle)
    entry.easy.reset()
    if idleHandles.count < 256 { idleHandles.append(entry.easy) }
  }

  static func kind(of code: CURLcode, bodyTooLarge: Bool) -> HTTPClientError.Kind {
    switch code {
    case CURLE_WRITE_ERROR where bodyTooLarge: .responseTooLarge
    case CURLE_OPERATION_TIMEDOUT: .timeout
    case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .connect
    case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
      CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE:
      .tls
    default: .transport
    }
  }
}
