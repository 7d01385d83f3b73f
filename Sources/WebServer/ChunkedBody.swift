/// Decodes a `Transfer-Encoding: chunked` request body as it arrives (RFC 9112 §7.1): chunk
/// sizes in hex, optional extensions and trailer fields, which are skipped.
struct ChunkedBody {
  enum Progress: Equatable {
    case needsMore
    case complete
    case tooLarge
    case malformed(String)
  }

  private enum State {
    case size(digits: Int)
    case sizeExtension
    case sizeLineFeed
    case data(remaining: Int)
    case dataCarriageReturn
    case dataLineFeed
    case trailer(lineLength: Int)
    case trailerLineFeed(lineLength: Int)
    case done
  }

  let limit: Int
  private(set) var decoded: [UInt8] = []
  private var state = State.size(digits: 0)
  private var size = 0
  /// Bytes of chunk extensions and trailers, which are skipped but bounded.
  private var skipped = 0
  private static let maxSkipped = 8 * 1024

  init(limit: Int) { self.limit = limit }

  /// Feeds the next bytes; bytes after the last chunk are ignored.
  mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Progress {
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      switch state {
      case .size(let digits):
        if let value = Self.hexValue(byte) {
          // More than 15 hex digits cannot be a size this server accepts.
          guard digits < 15 else { return .tooLarge }
          size = size * 16 + value
          state = .size(digits: digits + 1)
        } else if digits == 0 {
          return .malformed("a chunk size must start with a hexadecimal digit")
        } else if byte == UInt8(ascii: "\r") {
          state = .sizeLineFeed
        } else if byte == UInt8(ascii: ";") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
          state = .sizeExtension
        } else {
          return .malformed("a chunk size line must end with CRLF")
        }
      case .sizeExtension:
        if byte == UInt8(ascii: "\r") {
          state = .sizeLineFeed
        } else {
          skipped += 1
          if skipped > Self.maxSkipped { return .malformed("chunk extensions are too long") }
        }
      case .sizeLineFeed:
        guard byte == UInt8(ascii: "\n") else { return .malformed("a chunk size line must end with CRLF") }
        if size == 0 {
          state = .trailer(lineLength: 0)
        } else {
          guard decoded.count + size <= limit else { return .tooLarge }
          state = .data(remaining: size)
        }
      case .data(let remaining):
        let count = min(remaining, bytes.count - index)
        decoded.append(contentsOf: bytes[index..<index + count])
        index += count
        state = remaining == count ? .dataCarriageReturn : .data(remaining: remaining - count)
        continue
      case .dataCarriageReturn:
        guard byte == UInt8(ascii: "\r") else { return .malformed("chunk data must end with CRLF") }
        state = .dataLineFeed
      case .dataLineFeed:
        guard byte == UInt8(ascii: "\n") else { return .malformed("chunk data must end with CRLF") }
        size = 0
        state = .size(digits: 0)
      case .trailer(let lineLength):
        if byte == UInt8(ascii: "\r") {
          state = .trailerLineFeed(lineLength: lineLength)
        } else {
          skipped += 1
          if skipped > Self.maxSkipped { return .malformed("trailer fields are too long") }
          state = .trailer(lineLength: lineLength + 1)
        }
      case .trailerLineFeed(let lineLength):
        guard byte == UInt8(ascii: "\n") else { return .malformed("a trailer line must end with CRLF") }
        if lineLength == 0 {
          state = .done
          return .complete
        }
        state = .trailer(lineLength: 0)
      case .done:
        return .complete
      }
      index += 1
    }
    if case .done = state { return .complete }
    return .needsMore
  }

  private static func hexValue(_ byte: UInt8) -> Int? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a")) + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A")) + 10
    default: nil
    }
  }
}
