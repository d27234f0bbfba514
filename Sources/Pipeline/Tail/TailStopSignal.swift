import Foundation
import TraceJoinCore

/// Asks a running ``TailRunner`` to stop: set from a signal handler or a test, read between polls.
///
/// Also wakes the runner from its wait between polls, so a stop takes effect at once: through a semaphore, and
/// through a pipe that becomes readable for a runner waiting in `poll(2)` on inotify events.
package final class TailStopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private let wake = DispatchSemaphore(value: 0)
    private var pipeEnds: [Int32] = [-1, -1]

    package init() {
        if pipe(&pipeEnds) == 0 {
            for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        }
    }

    deinit { for end in pipeEnds where end >= 0 { close(end) } }

    /// Requests the stop; the runner finishes its poll, writes what it holds, checkpoints and returns.
    package func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        wake.signal()
        if pipeEnds[1] >= 0 {
            var byte: UInt8 = 1
            _ = write(pipeEnds[1], &byte, 1)  // never read: stays readable, later waits return at once too
        }
    }

    package var isStopped: Bool { lock.withLock { stopped } }

    /// Readable once stopped; nil if the pipe could not be made (the runner then waits at most a poll interval).
    var wakeDescriptor: Int32? { pipeEnds[0] >= 0 ? pipeEnds[0] : nil }

    /// Sleeps up to `duration`, returning early when stopped.
    func sleep(_ duration: Duration) {
        if wake.wait(timeout: .now() + .nanoseconds(Int(max(0, duration.inNanoseconds)))) == .success {
            wake.signal()  // stay signalled: later sleeps return at once too
        }
    }
}
