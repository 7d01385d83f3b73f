import Foundation

/// Memory that a C library keeps pointers into: malloc'ed here, freed together by the owner
/// once the library is done with it.
final class CAllocations {
  private var blocks: [UnsafeMutableRawPointer] = []

  struct OutOfMemory: Error {}

  func string(_ text: String) throws -> UnsafePointer<CChar> {
    guard let copy = strdup(text) else { throw OutOfMemory() }
    blocks.append(UnsafeMutableRawPointer(copy))
    return UnsafePointer(copy)
  }

  /// `count` copies of `value`; zeroed memory first, so C terminators read as empty.
  func values<T>(_ value: T, count: Int = 1) throws -> UnsafeMutablePointer<T> {
    guard let raw = calloc(count, MemoryLayout<T>.stride) else { throw OutOfMemory() }
    blocks.append(raw)
    let memory = raw.bindMemory(to: T.self, capacity: count)
    memory.initialize(repeating: value, count: count)
    return memory
  }

  func freeAll() {
    for block in blocks { free(block) }
    blocks.removeAll()
  }

  deinit { freeAll() }
}
