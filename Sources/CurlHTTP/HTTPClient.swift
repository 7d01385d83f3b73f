import CCurl
import Foundation
import PortfolioCore
import Synchronization

/// Async HTTP over libcurl's multi interface: one multi handle on one thread serves every
/// request, so connections (and HTTP/2 streams) are shared and reused.
///
/// Other threads only append to the submission queue and call `curl_multi_wakeup`, which
/// libcurl documents as safe from any thread; every other curl call happens on the client's
/// thread.
public final class HTTPClient: Sendable {
  private let queue = Mutex(Submissions())
  private let multi: MultiHandle
  private let options: HTTPClientOptions

  private struct Submissions {
    var pending: [Submission] = []
    var cancelled: Set<UInt64> = []
    var nextID: UInt64 = 1
    var shuttingDown = false
  }

  struct Submission {
    let id: UInt64
    let request: HTTPClientRequest
    let continuation: CheckedContinuation<HTTPClientResponse, any Error>
  }

  private let stopped = CompletionSignal()

  public init(options: HTTPClientOptions = HTTPClientOptions()) {
    Self.initializeLibcurl
    self.options = options
    multi = MultiHandle(options: options)
    let thread = Thread { [multi, queue = self, stopped] in
      CurlLoop(multi: multi, options: options).run(take: { queue.take() })
      stopped.signal()
    }
    thread.name = "libcurl"
    thread.start()
  }

  /// `curl_global_init` is not thread-safe: run it once, before any handle exists.
  private static let initializeLibcurl: Void = {
    _ = curl_global_init(portfolio_curl_global_all)
  }()

  /// Sends the request and waits for the whole response. Throws `HTTPClientError` when no
  /// HTTP response arrived; any status, 5xx included, is a response.
  public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
    let id = queue.withLock { state -> UInt64 in
      defer { state.nextID += 1 }
      return state.nextID
    }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { continuation in
        let accepted = queue.withLock { state -> Bool in
          guard !state.shuttingDown else { return false }
          state.pending.append(Submission(id: id, request: request, continuation: continuation))
          // A task cancelled before this point had its cancellation taken by the client's
          // thread while nothing of this id was there to end: mark it again, with the request.
          if Task.isCancelled { state.cancelled.insert(id) }
          return true
        }
        guard accepted else {
          continuation.resume(
            throwing: HTTPClientError(
              kind: .shutDown, code: 0, url: request.url, message: "the HTTP client is shut down"))
          return
        }
        multi.wakeUp()
      }
    } onCancel: {
      queue.withLock { _ = $0.cancelled.insert(id) }
      multi.wakeUp()
    }
  }

  /// Fails every queued and running request and stops the thread.
  public func shutdown() {
    queue.withLock { $0.shuttingDown = true }
    multi.wakeUp()
  }

  /// Returns once the client's thread has ended, after `shutdown`.
  public func waitUntilStopped() async {
    await stopped.wait()
  }

  fileprivate func take() -> (new: [Submission], cancelled: Set<UInt64>, stop: Bool) {
    queue.withLock { state in
      defer {
        state.pending.removeAll(keepingCapacity: true)
        state.cancelled.removeAll(keepingCapacity: true)
      }
      return (state.pending, state.cancelled, state.shuttingDown)
    }
  }
}

/// The multi handle, shared with other threads only for `curl_multi_wakeup`.
/// `@unchecked Sendable`: `curl_multi_wakeup` is thread-safe; every other use of `pointer`
/// is on the client's thread.
final class MultiHandle: @unchecked Sendable {
  let pointer: UnsafeMutableRawPointer?

  init(options: HTTPClientOptions) {
    pointer = curl_multi_init()
    if let pointer {
      _ = portfolio_curl_multi_setopt_long(pointer, CURLMOPT_PIPELINING, portfolio_curl_pipe_multiplex)
      _ = portfolio_curl_multi_setopt_long(
        pointer, CURLMOPT_MAX_HOST_CONNECTIONS, options.maxConnectionsPerHost)
    }
  }

  func wakeUp() {
    if let pointer { _ = curl_multi_wakeup(pointer) }
  }

  deinit {
    if let pointer { curl_multi_cleanup(pointer) }
  }
}
