/// Keccak-256 as used by Ethereum (EIP-55 checksums, function selectors).
///
/// This is the original Keccak submission with padding byte 0x01, not NIST
/// SHA3-256 (padding 0x06): the two give different digests for every input.
public enum Keccak256 {
  /// Bytes absorbed per permutation: 1600-bit state minus 2 × 256-bit capacity.
  static let rate = 136
  static let rateLanes = rate / 8

  /// Returns the 32-byte Keccak-256 digest of `bytes`.
  public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
    // Hash straight from contiguous storage when there is some; copy once otherwise.
    if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
      return digest
    }
    return Array(bytes).withUnsafeBytes { hash($0) }
  }

  /// Returns the 32-byte Keccak-256 digest of the UTF-8 encoding of `string`.
  public static func hash(_ string: String) -> [UInt8] {
    var string = string
    // makeContiguousUTF8 lets the fast path read the string's own buffer.
    string.makeContiguousUTF8()
    return hash(string.utf8)
  }

  /// Sponge over raw bytes: one state allocation per call, none per block or round.
  static func hash(_ input: UnsafeRawBufferPointer) -> [UInt8] {
    var state = [UInt64](repeating: 0, count: 25)
    state.withUnsafeMutableBufferPointer { lanes in
      var offset = 0
      // Absorb whole blocks as little-endian lanes.
      while input.count - offset >= rate {
        for i in 0..<rateLanes {
          lanes[i] ^= UInt64(
            littleEndian: input.loadUnaligned(fromByteOffset: offset + i * 8, as: UInt64.self))
        }
        permute(lanes)
        offset += rate
      }
      // Last partial block (possibly empty), then Keccak pad10*1 with domain byte 0x01.
      var position = 0
      while offset < input.count {
        lanes[position >> 3] ^= UInt64(input[offset]) << UInt64((position & 7) * 8)
        position += 1
        offset += 1
      }
      lanes[position >> 3] ^= 0x01 << UInt64((position & 7) * 8)
      lanes[rateLanes - 1] ^= 0x80 << 56
      permute(lanes)
    }
    // Squeeze: the digest is the first four lanes, little-endian.
    var digest = [UInt8]()
    digest.reserveCapacity(32)
    for lane in state.prefix(4) {
      for shift in stride(from: 0, to: 64, by: 8) {
        digest.append(UInt8(truncatingIfNeeded: lane >> UInt64(shift)))
      }
    }
    return digest
  }

  static let roundConstants: [UInt64] = [
    0x0000_0000_0000_0001, 0x0000_0000_0000_8082, 0x8000_0000_0000_808A, 0x8000_0000_8000_8000,
    0x0000_0000_0000_808B, 0x0000_0000_8000_0001, 0x8000_0000_8000_8081, 0x8000_0000_0000_8009,
    0x0000_0000_0000_008A, 0x0000_0000_0000_0088, 0x0000_0000_8000_8009, 0x0000_0000_8000_000A,
    0x0000_0000_8000_808B, 0x8000_0000_0000_008B, 0x8000_0000_0000_8089, 0x8000_0000_0000_8003,
    0x8000_0000_0000_8002, 0x8000_0000_0000_0080, 0x0000_0000_0000_800A, 0x8000_0000_8000_000A,
    0x8000_0000_8000_8081, 0x8000_0000_0000_8080, 0x0000_0000_8000_0001, 0x8000_0000_8000_8008,
  ]
  /// ρ rotation amounts, in the order the π step visits lanes.
  static let rotations: [UInt64] = [
    1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44,
  ]
  /// π lane order starting from lane 1 (the walk visits all other 24 lanes once).
  static let piLanes: [Int] = [
    10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1,
  ]

  @inline(__always)
  static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { (x &<< n) | (x &>> (64 &- n)) }

  /// Keccak-f[1600]: 24 rounds of θ, ρ, π, χ, ι on the 25-lane state in place.
  static func permute(_ a: UnsafeMutableBufferPointer<UInt64>) {
    roundConstants.withUnsafeBufferPointer { rc in
      rotations.withUnsafeBufferPointer { rot in
        piLanes.withUnsafeBufferPointer { pi in
          for round in 0..<24 {
            // θ: mix each column's parity into its neighbours.
            let c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20]
            let c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21]
            let c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22]
            let c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23]
            let c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24]
            let d0 = c4 ^ rotl(c1, 1)
            let d1 = c0 ^ rotl(c2, 1)
            let d2 = c1 ^ rotl(c3, 1)
            let d3 = c2 ^ rotl(c4, 1)
            let d4 = c3 ^ rotl(c0, 1)
            for row in stride(from: 0, to: 25, by: 5) {
              a[row] ^= d0
              a[row + 1] ^= d1
              a[row + 2] ^= d2
              a[row + 3] ^= d3
              a[row + 4] ^= d4
            }
            // ρ and π together: rotate each lane while moving it to its new place.
            var carried = a[1]
            for i in 0..<24 {
              let j = pi[i]
              let next = a[j]
              a[j] = rotl(carried, rot[i])
              carried = next
            }
            // χ: the only non-linear step, row by row.
            for row in stride(from: 0, to: 25, by: 5) {
              let b0 = a[row]
              let b1 = a[row + 1]
              let b2 = a[row + 2]
              let b3 = a[row + 3]
              let b4 = a[row + 4]
              a[row] = b0 ^ (~b1 & b2)
              a[row + 1] = b1 ^ (~b2 & b3)
              a[row + 2] = b2 ^ (~b3 & b4)
              a[row + 3] = b3 ^ (~b4 & b0)
              a[row + 4] = b4 ^ (~b0 & b1)
            }
            // ι: break the symmetry between rounds.
            a[0] ^= rc[round]
          }
        }
      }
    }
  }
}
