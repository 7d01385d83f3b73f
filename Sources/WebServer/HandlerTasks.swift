/// Runs the handlers the service thread starts (a request's answer, a WebSocket session) as
/// child tasks of one task that the server owns: none outlives the server, and shutdown
/// cancels and awaits them all.
final class HandlerTasks: Sendable {
  typealias Job = @Sendable () async -> Void

  private let jobs: AsyncStream<Job>.Continuation
  private let runner: Task<Void, Never>

  init() {
    let (stream, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .unbounded)
    jobs = continuation
    runner = Task {
      await withDiscardingTaskGroup { group in
        for await job in stream {
          group.addTask { await job() }
        }
      }
    }
  }

  /// Starts `job` beside the others; from any thread.
  func start(_ job: @escaping Job) {
    jobs.yield(job)
  }

  /// Takes no more jobs, cancels the running ones and waits for them to return.
  func stop() async {
    jobs.finish()
    runner.cancel()
    await runner.value
  }
}
