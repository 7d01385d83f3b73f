import CAllocator
import Testing

/// The poller hands a large cycle's free pages back with `portfolio_release_free_memory`; on
/// glibc that must really call `malloc_trim`, not compile to nothing.
@Suite struct FreeMemoryTests {
  #if canImport(Glibc)
    @Test func freePagesBetweenLiveBlocksAreReleased() {
      // Freed blocks below a live one cannot be given back by shrinking the heap's top; only
      // malloc_trim returns their pages, and it answers 1 when it did.
      let blocks = (0..<8_192).map { _ in UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16) }
      let fence = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 16)
      for block in blocks { block.deallocate() }
      #expect(portfolio_release_free_memory() == 1)
      fence.deallocate()
    }
  #endif
}
