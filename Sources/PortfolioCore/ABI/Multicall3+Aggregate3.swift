/// The client side of `aggregate3`: encode the batch, decode the results.
extension Multicall3 {
  /// `aggregate3(calls)` calldata.
  public static func aggregate3(_ calls: [Call3]) -> [UInt8] {
    // Each Call3 is a dynamic tuple (it holds bytes), so the array content is offsets then tuples.
    let tuples = calls.map { call in
      ABIEncoder.Part.tail(
        ABIEncoder.assemble([
          .inPlace(ABIWord.address(call.target)),
          .inPlace(ABIWord.bool(call.allowFailure)),
          .tail(ABIEncoder.lengthPrefixed(call.callData)),
        ]))
    }
    return aggregate3Function.selector + ABIEncoder.assemble([.tail(ABIEncoder.countPrefixed(tuples))])
  }

  /// The size of `aggregate3(calls)`, known before it is encoded: selector, the array's offset
  /// and count, then per call its offset, three head words, the data's length and the data
  /// padded to whole words.
  public static func aggregate3ByteCount(_ calls: some Collection<Call3>) -> Int {
    calls.reduce(4 + 2 * ABIWord.size) { size, call in
      size + 5 * ABIWord.size + (call.callData.count + ABIWord.size - 1) / ABIWord.size * ABIWord.size
    }
  }

  /// The `(bool success, bytes returnData)[]` that `aggregate3` returns, one per call, in order.
  public static func decodeAggregate3Result(_ returnData: [UInt8]) throws(ABIDecodingError) -> [Result] {
    var reader = ABIReader(returnData[...])
    let array = try reader.offset(at: 0, base: 0)
    let count = try reader.count(at: array, unitSize: ABIWord.size)
    let content = array + ABIWord.size
    var results: [Result] = []
    results.reserveCapacity(count)
    for index in 0..<count {
      let tuple = try reader.offset(at: content + index * ABIWord.size, base: content)
      let success = try reader.bool(at: tuple)
      let data = try reader.bytes(at: reader.offset(at: tuple + ABIWord.size, base: tuple))
      results.append(Result(success: success, returnData: data))
    }
    return results
  }
}
