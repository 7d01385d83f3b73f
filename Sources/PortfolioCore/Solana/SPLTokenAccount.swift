/// A token account of the SPL Token or Token-2022 program, read from its account data.
///
/// Layout (spl-token `state::Account`, 165 bytes; Token-2022 appends extensions after it):
/// mint 0..<32, owner 32..<64, amount u64 LE 64..<72, delegate COption 72..<108,
/// state u8 at 108 (0 uninitialized, 1 initialized, 2 frozen), is_native COption<u64> 109..<121,
/// delegated_amount 121..<129, close_authority COption 129..<165.
public struct SPLTokenAccount: Sendable, Equatable {
  public static let length = 165

  public let mint: SolanaAddress
  public let owner: SolanaAddress
  /// Base units; u64 on chain.
  public let amount: UInt64
  public let isFrozen: Bool

  public init(mint: SolanaAddress, owner: SolanaAddress, amount: UInt64, isFrozen: Bool = false) {
    self.mint = mint
    self.owner = owner
    self.amount = amount
    self.isFrozen = isFrozen
  }

  /// nil for data too short to be a token account, or an uninitialized one.
  public init?(data: [UInt8]) {
    guard data.count >= Self.length, data[108] == 1 || data[108] == 2,
      let mint = SolanaAddress(bytes: Array(data[0..<32])),
      let owner = SolanaAddress(bytes: Array(data[32..<64]))
    else { return nil }
    self.mint = mint
    self.owner = owner
    amount = data[64..<72].reversed().reduce(0) { $0 << 8 | UInt64($1) }
    isFrozen = data[108] == 2
  }

  /// The 165-byte form, as the Token program stores it.
  public var data: [UInt8] {
    var bytes = [UInt8](repeating: 0, count: Self.length)
    bytes.replaceSubrange(0..<32, with: mint.bytes)
    bytes.replaceSubrange(32..<64, with: owner.bytes)
    for index in 0..<8 { bytes[64 + index] = UInt8(truncatingIfNeeded: amount >> (8 * UInt64(index))) }
    bytes[108] = isFrozen ? 2 : 1
    return bytes
  }
}

/// Decimals of an SPL mint from its account data (spl-token `state::Mint`, 82 bytes:
/// mint_authority COption 0..<36, supply u64 36..<44, decimals u8 at 44, is_initialized at 45).
public enum SPLMint {
  public static let length = 82

  public static func decimals(data: [UInt8]) -> Int? {
    guard data.count >= length, data[45] == 1 else { return nil }
    return Int(data[44])
  }

  public static func data(decimals: UInt8, supply: UInt64 = 0) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: length)
    for index in 0..<8 { bytes[36 + index] = UInt8(truncatingIfNeeded: supply >> (8 * UInt64(index))) }
    bytes[44] = decimals
    bytes[45] = 1
    return bytes
  }
}

/// Program ids the readers need.
public enum SolanaPrograms {
  public static let system = "11111111111111111111111111111111"
  public static let token = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"
  public static let token2022 = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"
}
