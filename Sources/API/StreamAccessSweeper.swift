import Logging
public import ServiceLifecycle

/// Every few seconds, ends the stream connections whose access token stopped being valid:
/// revoked here or on the command line, expired, or its user removed. A token is checked when
/// a connection authenticates; this keeps an open connection from outliving it.
public struct StreamAccessSweeper: Service {
  let core: StreamCore
  let interval: Duration
  let logger: Logger

  public func run() async throws {
    await cancelWhenGracefulShutdown { await sweep() }
  }

  private func sweep() async {
    while !Task.isCancelled {
      try? await Task.sleep(for: interval)
      guard !Task.isCancelled else { return }
      do {
        let closed = try core.closeConnectionsOfEndedTokens()
        if closed > 0 {
          logger.info("stream connections closed: their token ended", metadata: ["connections": "\(closed)"])
        }
      } catch {
        logger.warning("could not check stream tokens", metadata: ["error": "\(error)"])
      }
    }
  }
}
