import Foundation
import Storage

/// Opaque list cursors: base64url of `created_at:id`, so clients cannot depend on the format.
enum CursorCoding {
  static func encode(_ cursor: WalletCursor) -> String {
    Data("\(cursor.createdAt):\(cursor.id)".utf8).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  static func decode(_ text: String) -> WalletCursor? {
    var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
    guard let data = Data(base64Encoded: base64) else { return nil }
    let parts = String(decoding: data, as: UTF8.self).split(separator: ":", maxSplits: 1)
    guard parts.count == 2, let createdAt = Int64(parts[0]), UUID(uuidString: String(parts[1])) != nil
    else { return nil }
    return WalletCursor(createdAt: createdAt, id: String(parts[1]))
  }
}
