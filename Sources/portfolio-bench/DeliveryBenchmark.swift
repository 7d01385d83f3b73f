import ArgumentParser
import CurlHTTP
import DevChain
import Foundation
import PushCrypto

/// `portfolio-bench deliveries`: webhooks and Web Push to local receivers. A poll cycle moves
/// every wallet's balance; each endpoint is sent every change, signed (webhooks) or encrypted
/// and VAPID-signed (push). Reports deliveries per second, and the latency from a committed
/// event (a wallet added, its POST answered) to its arrival.
struct DeliveryBenchmark: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deliveries", abstract: "Webhook and Web Push deliveries per second, and their latency.")

  @Option(help: "Wallets whose balances move together.") var wallets = 1_000
  @Option(help: "Webhook endpoints, each sent every change.") var webhooks = 4
  @Option(help: "Push subscriptions, each sent every change.") var subscriptions = 2
  @Option(help: "Single changes timed from store to arrival.") var samples = 50
  @Option(
    help: "Price moves, each a value.changed event sent live, then replayed from seq 1 to fresh webhooks.")
  var priceMoves = 0

  func run() async throws {
    say(Machine.description)
    let devchain = try DevChainServer()
    let (receiver, receiverServer) = try DeliveryReceiver.start()
    var environment = ["NOTIFICATIONS_ALLOW_PRIVATE_TARGETS": "true"]
    // ETH has no price until the first move, so every value.changed event comes after the
    // webhooks that count them.
    if priceMoves > 0 { environment.merge(Self.priceEnvironment(devchain)) { $1 } }
    let deployment = try await BenchDeployment(
      devchain: devchain, wallets: wallets, tokens: 0, pollInterval: 0.5, environment: environment)
    defer { deployment.stop() }
    let port = deployment.server.port
    let base = "http://127.0.0.1:\(receiverServer.port)"
    var paths: [String] = []
    for index in 0..<webhooks {
      try await post(
        port, "/api/v1/webhooks",
        #"{"url":"\#(base)/hook/\#(index)","event_types":["balance.changed","wallet.added"]}"#)
      paths.append("/hook/\(index)")
    }
    for index in 0..<subscriptions {
      let key = VAPIDKeyPair.generate().publicKeyBase64URL  // any P-256 point serves as a browser's key
      let auth = Base64URL.encode(Data((0..<16).map { _ in UInt8.random(in: 0...255) }))
      try await post(
        port, "/api/v1/push/subscriptions",
        #"{"endpoint":"\#(base)/push/\#(index)","keys":{"p256dh":"\#(key)","auth":"\#(auth)"},"event_types":["balance.changed","wallet.added"]}"#
      )
      paths.append("/push/\(index)")
    }

    // Throughput: one cycle moves every wallet; every endpoint is sent every change.
    for (index, wallet) in deployment.wallets.enumerated() {
      try devchain.chain.setBalance(
        chain: "ethereum", address: wallet.checksummed, token: nil, amount: "\(5_000_000 + index)")
    }
    let expected = deployment.wallets.count
    let deadline = ContinuousClock.now + .seconds(600)
    while paths.contains(where: { receiver.count($0) < expected }) {
      guard ContinuousClock.now < deadline else { throw BenchError("deliveries did not finish in 600 s") }
      try await Task.sleep(for: .milliseconds(50))
    }
    for kind in ["/hook", "/push"] {
      let times = paths.filter { $0.hasPrefix(kind) }.flatMap(receiver.times)
      guard let first = times.min(), let last = times.max(), times.count > 1 else { continue }
      let seconds = (last - first).inSeconds
      say(
        "\(kind == "/hook" ? "webhooks" : "web push"): \(times.count) deliveries to \(paths.filter { $0.hasPrefix(kind) }.count) endpoints in "
          + String(format: "%.2f s: %.0f deliveries/s", seconds, Double(times.count) / max(seconds, 0.001)))
    }

    // Latency: a wallet added is an event committed when its POST is answered; from that
    // answer to its arrival at each endpoint (no chain read in between).
    var latencies: [String: [Double]] = ["/hook": [], "/push": []]
    for sample in 0..<samples {
      let before = paths.map(receiver.count)
      guard let address = BenchWallets.evm(2_000_000 + sample)?.checksummed else { continue }
      try await post(port, "/api/v1/wallets", #"{"chain":"ethereum","address":"\#(address)"}"#)
      let stored = ContinuousClock.now
      for (index, path) in paths.enumerated() {
        while receiver.count(path) <= before[index] { try await Task.sleep(for: .microseconds(200)) }
        if let arrived = receiver.times(path).last {
          latencies[String(path.prefix(5)), default: []].append(max(0, (arrived - stored).inSeconds * 1000))
        }
      }
    }
    for (kind, values) in latencies.sorted(by: { $0.key < $1.key }) where !values.isEmpty {
      let sorted = values.sorted()
      let p50 = sorted[sorted.count / 2]
      let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
      say(
        "\(kind == "/hook" ? "webhook" : "web push") latency from a committed event to its arrival over \(sorted.count) deliveries: "
          + String(format: "p50 %.1f ms, p99 %.1f ms", p50, p99))
    }
    if priceMoves > 0 {
      try await measureValueEvents(devchain: devchain, deployment: deployment, receiver: receiver, base: base)
    }
    await receiverServer.shutdown(grace: .milliseconds(100))
    await devchain.stop()
  }

  /// POSTs `body`; answers the created resource's `id`, when there is one.
  @discardableResult
  func post(_ port: Int, _ path: String, _ body: String) async throws -> String? {
    let response = try await LoopbackHTTP.client.send(
      HTTPClientRequest(
        url: "http://127.0.0.1:\(port)\(path)", method: "POST",
        headers: body.isEmpty ? [] : [("Content-Type", "application/json")], body: Array(body.utf8),
        timeout: .seconds(60)))
    guard (200..<300).contains(response.status) else {
      throw BenchError(
        "POST \(path) answered \(response.status): \(String(decoding: response.body.prefix(300), as: UTF8.self))"
      )
    }
    let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
    return object?["id"] as? String
  }
}
