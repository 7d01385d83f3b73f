// libFuzzer target: the contract-ABI decoder, on data as a chain node returns it.
//
// An input is `<types>\n<data>`: a Solidity type list such as `(address,bool,bytes)[]` or
// `uint256,string`, a line break, then raw ABI data. The data is decoded as those types, and
// whatever decodes must encode back to data that decodes to the same values. The whole input
// also goes through every fixed decoder the server uses on node answers: aggregate3 results
// and calls, ERC-20 balanceOf/decimals/symbol, and each known function's outputs and calldata.
import BigInt
import FuzzSupport

@testable import PortfolioCore

@main enum FuzzABI {
  static func main() { runLibFuzzer { start, count in fuzz(start, count) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let bytes = fuzzInput(start, count)
  if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
    let types = TypeList.parse(String(decoding: bytes[..<newline], as: UTF8.self))
  {
    checkRoundTrip(types, Array(bytes[(newline + 1)...]))
  }
  checkFixedDecoders(bytes)
  return 0
}

/// Decoded values encode to data that decodes to the same values, and encoding is stable.
private func checkRoundTrip(_ types: [ABIType], _ data: [UInt8]) {
  let values: [ABIValue]
  do { values = try ABIDecoder.decode(types, from: data) } catch {
    precondition(!error.description.isEmpty, "a decoding error with no description")
    return
  }
  let encoded: [UInt8]
  do { encoded = try ABIEncoder.encode(values, as: types) } catch {
    preconditionFailure("values decoded as \(types) do not encode: \(error)")
  }
  let again: [ABIValue]
  do { again = try ABIDecoder.decode(types, from: encoded) } catch {
    preconditionFailure("the encoding of values decoded as \(types) does not decode: \(error)")
  }
  precondition(again == values, "values decoded as \(types) change through an encode and decode")
  precondition((try? ABIEncoder.encode(again, as: types)) == encoded, "encoding \(types) is not stable")
}

/// The decoders the server runs on node answers, each given the whole input.
private func checkFixedDecoders(_ data: [UInt8]) {
  if let results = try? Multicall3.decodeAggregate3Result(data) {
    let encoded = Multicall3.encodeAggregate3Result(results)
    precondition(
      (try? Multicall3.decodeAggregate3Result(encoded)) == results, "aggregate3 results do not round-trip")
    let generic = try? Multicall3.aggregate3Function.decodeOutput(encoded)
    precondition(generic?.count == 1, "aggregate3 results the generic decoder refuses")
  }
  if let calls = try? Multicall3.decodeAggregate3Call(data) {
    let encoded = Multicall3.aggregate3(calls)
    precondition(encoded.count == Multicall3.aggregate3ByteCount(calls), "aggregate3ByteCount is wrong")
    precondition(
      (try? Multicall3.decodeAggregate3Call(encoded)) == calls, "aggregate3 calls do not round-trip")
  }
  if let balance = try? ERC20Calls.decodeUInt256(data) {
    precondition(balance <= UInt256Text.max, "a uint256 above 2^256 - 1")
    precondition(
      UInt256Text.parse(UInt256Text.format(balance)) == balance, "uint256 text does not round-trip")
    let decimals = data.first ?? 0
    let text = TokenAmount.format(raw: balance, decimals: decimals)
    precondition(
      TokenAmount.parse(text, decimals: decimals) == balance, "token amount \(text) does not parse back")
  }
  if let decimals = try? ERC20Calls.decodeDecimals(data) {
    precondition(data.count >= 32 && data[31] == decimals, "decimals decoded from the wrong byte")
  }
  if let symbol = ERC20Calls.decodeSymbol(data) {
    precondition(!symbol.isEmpty, "an empty symbol")
  }
  for function in knownFunctions {
    _ = try? function.decodeOutput(data)
    if let arguments = try? function.decodeCall(data) {
      let encoded = try? function.encodeCall(arguments)
      precondition(
        encoded.flatMap { try? function.decodeCall($0) } == arguments,
        "\(function.signature) calldata does not round-trip")
    }
  }
  if let text = String(validating: data, as: UTF8.self), let decoded = Hex.decode(text) {
    precondition(Hex.decode(Hex.encode(decoded)) == decoded, "hex does not round-trip")
  }
}

private let knownFunctions: [ABIFunction] = [
  Multicall3.aggregate3Function, Multicall3.getEthBalanceFunction, Multicall3.getBlockNumberFunction,
  ERC20Calls.balanceOfFunction, ERC20Calls.decimalsFunction, ERC20Calls.symbolFunction,
  ABIFunction(
    name: "latestRoundData", inputs: [],
    outputs: [.uint(bits: 80), .uint256, .uint256, .uint256, .uint(bits: 80)]),
]

/// A comma-separated list of Solidity type names, e.g. `address,(bool,bytes)[],uint8[2]`.
/// Nesting and counts are capped so one input cannot ask for a huge type.
private struct TypeList {
  private var text: Substring
  private var components = 0

  static func parse(_ text: String) -> [ABIType]? {
    var parser = TypeList(text: text[...])
    guard let types = parser.list(depth: 0), parser.text.isEmpty, !types.isEmpty else { return nil }
    return types
  }

  private mutating func list(depth: Int) -> [ABIType]? {
    var types: [ABIType] = []
    repeat {
      guard let type = type(depth: depth) else { return nil }
      types.append(type)
    } while take(",")
    return types
  }

  private mutating func type(depth: Int) -> ABIType? {
    components += 1
    guard depth < 6, components < 64 else { return nil }
    var type: ABIType
    if take("(") {
      guard let inner = list(depth: depth + 1), take(")") else { return nil }
      type = .tuple(inner)
    } else {
      let name = text.prefix { $0.isLetter || $0.isNumber }
      text = text.dropFirst(name.count)
      switch name {
      case "address": type = .address
      case "bool": type = .bool
      case "string": type = .string
      case "bytes": type = .bytes
      case "uint": type = .uint256
      default:
        if name.hasPrefix("uint"), let bits = Int(name.dropFirst(4)) {
          type = .uint(bits: bits)
        } else if name.hasPrefix("bytes"), let size = Int(name.dropFirst(5)) {
          type = .fixedBytes(size)
        } else {
          return nil
        }
      }
    }
    while take("[") {
      let digits = text.prefix { $0.isASCII && $0.isNumber }
      text = text.dropFirst(digits.count)
      guard take("]") else { return nil }
      if digits.isEmpty {
        type = .array(type)
      } else {
        guard let count = Int(digits), count <= 64 else { return nil }
        type = .fixedArray(type, count: count)
      }
    }
    return type
  }

  private mutating func take(_ character: Character) -> Bool {
    guard text.first == character else { return false }
    text = text.dropFirst()
    return true
  }
}
