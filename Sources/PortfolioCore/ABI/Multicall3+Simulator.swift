/// The contract side of `aggregate3`, for a local chain simulator that answers like Multicall3.
extension Multicall3 {
  /// The calls in `aggregate3` calldata (selector included), as a deployed Multicall3 reads them.
  public static func decodeAggregate3Call(_ calldata: [UInt8]) throws(ABIDecodingError) -> [Call3] {
    try aggregate3Function.checkSelector(calldata)
    var reader = ABIReader(calldata.dropFirst(aggregate3Function.selector.count))
    let array = try reader.offset(at: 0, base: 0)
    let count = try reader.count(at: array, unitSize: ABIWord.size)
    let content = array + ABIWord.size
    var calls: [Call3] = []
    calls.reserveCapacity(count)
    for index in 0..<count {
      let tuple = try reader.offset(at: content + index * ABIWord.size, base: content)
      let target = try reader.address(at: tuple)
      let allowFailure = try reader.bool(at: tuple + ABIWord.size)
      let callData = try reader.bytes(at: reader.offset(at: tuple + 2 * ABIWord.size, base: tuple))
      calls.append(Call3(target: target, allowFailure: allowFailure, callData: callData))
    }
    return calls
  }

  /// The return data of `aggregate3` for these results.
  public static func encodeAggregate3Result(_ results: [Result]) -> [UInt8] {
    let tuples = results.map { result in
      ABIEncoder.Part.tail(
        ABIEncoder.assemble([
          .inPlace(ABIWord.bool(result.success)),
          .tail(ABIEncoder.lengthPrefixed(result.returnData)),
        ]))
    }
    return ABIEncoder.assemble([.tail(ABIEncoder.countPrefixed(tuples))])
  }
}
