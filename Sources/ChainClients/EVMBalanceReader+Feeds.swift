public import PortfolioCore

/// What a read of price feeds found.
public struct FeedReading: Sendable {
  /// Feeds whose `latestRoundData()` and `decimals()` both answered and decoded.
  public let answers: [EVMAddress: FeedAnswer]
  /// Feeds that reverted or answered something else (not a feed, or no code there).
  public let unreadable: [EVMAddress]
  /// HTTP requests the read sent, retries not counted.
  public let httpRequests: Int
}

extension EVMBalanceReader {
  /// Reads `latestRoundData()` and `decimals()` of each Chainlink AggregatorV3 feed at the
  /// latest block: through Multicall3 `aggregate3` chunks (one HTTP request for a few hundred
  /// feeds), or JSON-RPC batches of `eth_call` without it. A feed that fails is unreadable,
  /// not an error; only the chain failing as a whole throws.
  public func readFeeds(_ feeds: [EVMAddress], useMulticall: Bool = true) async throws(ChainRPCError)
    -> FeedReading
  {
    let unique = Array(Set(feeds)).sorted { $0.lowercasedHex < $1.lowercasedHex }
    guard !unique.isEmpty else { return FeedReading(answers: [:], unreadable: [], httpRequests: 0) }
    let calls = unique.flatMap { feed in
      [AggregatorV3Calls.latestRoundData, AggregatorV3Calls.decimals].map {
        Multicall3.Call3(target: feed, allowFailure: true, callData: $0)
      }
    }
    let returns: [[UInt8]?]
    let requests: Int
    if useMulticall {
      (returns, requests) = try await viaMulticall(calls, block: nil, grows: false)
    } else {
      (returns, requests) = try await viaPlainCalls(calls)
    }
    var answers: [EVMAddress: FeedAnswer] = [:]
    var unreadable: [EVMAddress] = []
    for (index, feed) in unique.enumerated() {
      guard let roundData = returns[2 * index], let decimals = returns[2 * index + 1],
        let answer = try? AggregatorV3Calls.decodeAnswer(roundData: roundData, decimals: decimals)
      else {
        unreadable.append(feed)
        continue
      }
      answers[feed] = answer
    }
    return FeedReading(answers: answers, unreadable: unreadable, httpRequests: requests)
  }

  /// Without Multicall3: one `eth_call` per call, many per HTTP request.
  private func viaPlainCalls(_ calls: [Multicall3.Call3]) async throws(ChainRPCError)
    -> (results: [[UInt8]?], requests: Int)
  {
    let rpcCalls = calls.map { call in
      JSONRPCCall(
        "eth_call",
        [
          ["to": .string(call.target.lowercasedHex), "data": .string("0x" + Hex.encode(call.callData))],
          "latest",
        ])
    }
    let perRequest = max(1, settings.callsPerBatch)
    let answers = try await sendBatched(rpcCalls, perRequest: perRequest)
    let results = answers.map { answer -> [UInt8]? in
      guard case .success(let hex) = answer, let data = Hex.decode(hex), !data.isEmpty else { return nil }
      return data
    }
    return (results, (calls.count + perRequest - 1) / perRequest)
  }
}
