public import PortfolioCore

/// How the web server listens and what it accepts.
public struct WebServerOptions: Sendable {
  public var host: String
  /// 0 asks the system for a free port; `WebServer.port` tells which.
  public var port: Int
  /// Served at `/` through libwebsockets' own file mount; nil serves no files and hands every
  /// path to the responder.
  public var staticDirectory: String?
  /// Paths under these prefixes belong to the responder for every method; other paths are
  /// static files, answered for GET and HEAD only.
  public var dynamicPathPrefixes: [String]
  /// Requests with a larger body are answered 413.
  public var maxBodyBytes: Int
  /// A WebSocket message larger than this closes the connection with 1009.
  public var maxWebSocketMessageBytes: Int
  /// Frames waiting for a slow WebSocket client before it is closed with 1013.
  public var maxQueuedFramesPerConnection: Int
  /// Messages a WebSocket client may send ahead of their answers before it is closed with 1008.
  public var maxPendingWebSocketMessages: Int
  /// Bytes of its own frames (snapshots, replays) waiting for a WebSocket client before it is
  /// closed with 1013; one frame is always accepted, however large.
  public var maxQueuedBytesPerConnection: Int
  /// Broadcast frames kept for followers that are behind, in count and bytes. A follower that
  /// falls further behind starts its topics again from the log.
  public var broadcastRingFrames: Int
  public var broadcastRingBytes: Int
  /// Seconds an idle keep-alive connection is kept.
  public var keepAliveTimeoutSeconds: Int
  /// The WebSocket endpoint; other paths refuse an upgrade.
  public var webSocketPath: String
  /// Headers beyond the standard ones to pass to the responder in `HTTPRequest.headers`, by
  /// lower-case name (an API key header, say): libwebsockets hands out others only by name.
  public var extraHeaders: [String] = []
  /// Other sites whose pages may call the responder from a browser (CORS) and change things;
  /// writes and WebSockets from any other site's page are refused (see `CrossOriginPolicy`).
  public var allowedOrigins: [WebOrigin] = []
  /// HTTPS and WSS on the port with these files; nil serves plain HTTP and WS.
  public var tls: TLSCredentials?
  /// Told of every response written, for metrics.
  public var requestObserver: (any RequestObserver)?

  public init(
    host: String = "127.0.0.1", port: Int = 8080, staticDirectory: String? = "web-static",
    dynamicPathPrefixes: [String] = ["/api/"],
    maxBodyBytes: Int = 1 << 20, maxWebSocketMessageBytes: Int = 64 << 10,
    maxQueuedFramesPerConnection: Int = 1024, maxQueuedBytesPerConnection: Int = 8 << 20,
    maxPendingWebSocketMessages: Int = 256,
    broadcastRingFrames: Int = 4096, broadcastRingBytes: Int = 32 << 20, keepAliveTimeoutSeconds: Int = 60,
    webSocketPath: String = "/api/v1/stream"
  ) {
    self.host = host
    self.port = port
    self.staticDirectory = staticDirectory
    self.dynamicPathPrefixes = dynamicPathPrefixes
    self.maxBodyBytes = maxBodyBytes
    self.maxWebSocketMessageBytes = maxWebSocketMessageBytes
    self.maxQueuedFramesPerConnection = maxQueuedFramesPerConnection
    self.maxQueuedBytesPerConnection = maxQueuedBytesPerConnection
    self.maxPendingWebSocketMessages = maxPendingWebSocketMessages
    self.broadcastRingFrames = broadcastRingFrames
    self.broadcastRingBytes = broadcastRingBytes
    self.keepAliveTimeoutSeconds = keepAliveTimeoutSeconds
    self.webSocketPath = webSocketPath
  }
}
