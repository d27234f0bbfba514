import Foundation
import TraceJoinCore
import ServiceLifecycle

/// `tracejoin tail` as a swift-service-lifecycle `Service`, so it runs in one `ServiceGroup` with `serve`.
///
/// `TailRunner` blocks (it polls files, and waits on its writer thread, which writes SQLite), so it runs on a
/// thread of its own, never on a Swift concurrency thread. Graceful shutdown or cancellation sets its
/// `TailStopSignal`: the runner finishes its poll, hands over what it holds with its checkpoints, its writer
/// commits everything queued, and `run()` returns when both threads have ended (throwing what the runner or its
/// writer threw). Run it once.
package final class TailService: Service, @unchecked Sendable {
    package let runner: TailRunner
    private let stop = TailStopSignal()
    private let onPoll: @Sendable (TailRunner) -> Void

    /// `onPoll` runs on the tail thread after each poll, as in ``TailRunner/run(until:onPoll:)``.
    package init(runner: TailRunner, onPoll: @escaping @Sendable (TailRunner) -> Void = { _ in }) {
        self.runner = runner
        self.onPoll = onPoll
    }

    package func run() async throws {
        let completion = ThreadCompletion()
        DedicatedThread.start(named: "tj-tail") { [self] in
            completion.finish(Result { try runner.run(until: stop, onPoll: onPoll) })
        }
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await completion.wait()
        } onCancelOrGracefulShutdown: { [stop] in
            stop.stop()
        }
    }
}
