import CLibFuzzer
public import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Runs libFuzzer with the process's command line over `testOneInput`, then exits with its
/// status. Every fuzz target's `main` is this call and nothing else; the target's
/// `LLVMFuzzerTestOneInput` is what `testOneInput` calls.
public func runLibFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
  var argc = CommandLine.argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
  exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}

/// The bytes of one input; libFuzzer may pass a null pointer for an empty one.
public func fuzzInput(_ start: UnsafeRawPointer?, _ count: Int) -> [UInt8] {
  guard let start, count > 0 else { return [] }
  return Array(UnsafeRawBufferPointer(start: start, count: count))
}

/// Runs async work to its end from libFuzzer's synchronous callback.
public func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
  let outcome = Mutex<Result<T, any Error>?>(nil)
  let done = DispatchSemaphore(value: 0)
  Task.detached {
    do {
      let value = try await work()
      outcome.withLock { $0 = .success(value) }
    } catch {
      outcome.withLock { $0 = .failure(error) }
    }
    done.signal()
  }
  done.wait()
  guard let result = outcome.withLock({ $0 }) else {
    preconditionFailure("async work ended without a result")
  }
  return try result.get()
}

/// A fresh folder under the system's temporary folder, for a fuzz target's database.
public func temporaryFolder(_ name: String) -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
  do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
    preconditionFailure("cannot create \(folder.path): \(error)")
  }
  return folder
}
