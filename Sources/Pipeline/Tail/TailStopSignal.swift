import Foundation

/// Asks a running ``TailRunner`` to stop: set from a signal handler or a test, read between polls.
///
/// Also wakes the runner from its sleep between polls, so a stop takes effect at once.
package final class TailStopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private let wake = DispatchSemaphore(value: 0)

    package init() {}

    /// Requests the stop; the runner finishes its poll, writes what it holds, checkpoints and returns.
    package func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        if first { wake.signal() }
    }

    package var isStopped: Bool { lock.withLock { stopped } }

    /// Sleeps up to `duration`, returning early when stopped.
    func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        if wake.wait(timeout: .now() + .nanoseconds(max(0, nanoseconds))) == .success {
            wake.signal()  // stay signalled: later sleeps return at once too
        }
    }
}
