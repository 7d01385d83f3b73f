/// Splits calls into JSON-RPC batches and sends them `concurrency` HTTP requests at a time;
/// answers come back in call order.
enum BatchSender {
  static func send<R: Decodable & Sendable>(
    _ calls: [JSONRPCCall], as type: R.Type, through rpc: RPCClient, perRequest: Int, concurrency: Int
  ) async throws(ChainRPCError) -> [Result<R, JSONRPCError>] {
    try await send(
      count: calls.count, call: { calls[$0] }, as: type, through: rpc, perRequest: perRequest,
      concurrency: concurrency)
  }

  /// The same for `count` calls made by `call(index)` only when their request is about to be
  /// sent: large calls (aggregate3 chunks of hundreds of calls) then take memory only while in
  /// flight, not all at once.
  static func send<R: Decodable & Sendable>(
    count: Int, call: @escaping @Sendable (Int) -> JSONRPCCall, as type: R.Type, through rpc: RPCClient,
    perRequest: Int, concurrency: Int
  ) async throws(ChainRPCError) -> [Result<R, JSONRPCError>] {
    let size = max(1, perRequest)
    let batches = stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    var answers = [[Result<R, JSONRPCError>]](repeating: [], count: batches.count)
    do {
      try await withThrowingTaskGroup(of: (Int, [Result<R, JSONRPCError>]).self) { group in
        var next = 0
        func launch() {
          let index = next
          next += 1
          let range = batches[index]
          group.addTask { (index, try await rpc.batch(range.map(call), as: type)) }
        }
        while next < min(max(1, concurrency), batches.count) { launch() }
        while let (index, answer) = try await group.next() {
          answers[index] = answer
          if next < batches.count { launch() }
        }
      }
    } catch let error as ChainRPCError {
      throw error
    } catch {
      throw ChainRPCError(chain: rpc.chain, kind: .cancelled, endpoint: nil, message: "cancelled")
    }
    return answers.flatMap { $0 }
  }
}
