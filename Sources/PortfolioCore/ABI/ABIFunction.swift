/// A contract function: its signature, selector, and the encodings of its calls and results.
public struct ABIFunction: Sendable, Hashable {
  public let name: String
  public let inputs: [ABIType]
  public let outputs: [ABIType]
  /// First 4 bytes of keccak256(signature): what calldata starts with to pick this function.
  public let selector: [UInt8]

  public init(name: String, inputs: [ABIType], outputs: [ABIType] = []) {
    self.name = name
    self.inputs = inputs
    self.outputs = outputs
    self.selector = Array(Keccak256.hash(Self.signature(name: name, inputs: inputs)).prefix(4))
  }

  /// Canonical signature, e.g. `balanceOf(address)`: no spaces, no names, no return types.
  public var signature: String { Self.signature(name: name, inputs: inputs) }

  private static func signature(name: String, inputs: [ABIType]) -> String {
    name + "(" + inputs.map(\.description).joined(separator: ",") + ")"
  }

  /// Calldata: the selector, then the arguments encoded as a tuple.
  public func encodeCall(_ arguments: [ABIValue]) throws(ABIEncodingError) -> [UInt8] {
    selector + (try ABIEncoder.encode(arguments, as: inputs))
  }

  /// The arguments of calldata for this function (what a contract or simulator receives).
  public func decodeCall(_ calldata: [UInt8]) throws(ABIDecodingError) -> [ABIValue] {
    try checkSelector(calldata)
    return try ABIDecoder.decode(inputs, from: calldata.dropFirst(selector.count))
  }

  /// Return data for this function's outputs (what a simulator sends back).
  public func encodeOutput(_ values: [ABIValue]) throws(ABIEncodingError) -> [UInt8] {
    try ABIEncoder.encode(values, as: outputs)
  }

  /// The values in a call's return data.
  public func decodeOutput(_ returnData: [UInt8]) throws(ABIDecodingError) -> [ABIValue] {
    try ABIDecoder.decode(outputs, from: returnData)
  }

  /// Throws unless `calldata` starts with this function's selector.
  func checkSelector(_ calldata: [UInt8]) throws(ABIDecodingError) {
    guard calldata.starts(with: selector) else {
      let expected = "expected selector 0x\(Hex.encode(selector)) for \(signature)"
      guard calldata.count >= selector.count else {
        throw ABIDecodingError(
          kind: .truncated, offset: 0, reason: "\(expected), found only \(calldata.count) bytes")
      }
      throw ABIDecodingError(
        kind: .wrongSelector, offset: 0, reason: "\(expected), found 0x\(Hex.encode(calldata.prefix(4)))")
    }
  }
}
