import Foundation

/// The time of tracejoin's dedicated threads (the stream writer, the idle-trace finalizer, the WAL
/// checkpointer): what time it is, and a blocking sleep a ``ThreadWakeup`` cuts short.
///
/// Injected so tests drive these threads with a manual clock (`ManualThreadClock` in TraceJoinTesting)
/// instead of sleeping and hoping the thread got a core in time. Swift's `Clock` sleeps only in async code;
/// these threads block on SQLite and files, so they sleep here instead.
package protocol ThreadClock: Sendable {
    /// Monotonic time since an arbitrary start: for intervals and durations.
    var elapsed: Duration { get }
    /// Nanoseconds since the Unix epoch: for times compared with stored ones (`traces.updated_ns`).
    var wallNanos: Int64 { get }
    /// Blocks the calling thread until `duration` has passed on this clock or `wakeup` is rung, whichever
    /// comes first. Returns true when rung.
    @discardableResult
    func sleep(for duration: Duration, unless wakeup: ThreadWakeup) -> Bool
}

/// The system's clocks: `CLOCK_MONOTONIC` for ``elapsed``, `CLOCK_REALTIME` for ``wallNanos``.
package struct SystemThreadClock: ThreadClock {
    package init() {}

    package var elapsed: Duration { Self.read(CLOCK_MONOTONIC) }

    package var wallNanos: Int64 { Self.read(CLOCK_REALTIME).inNanoseconds }

    @discardableResult
    package func sleep(for duration: Duration, unless wakeup: ThreadWakeup) -> Bool {
        let deadline = Date(timeIntervalSinceNow: Double(duration.inNanoseconds) / 1e9)
        return wakeup.wait(while: { true }, until: deadline)
    }

    private static func read(_ clock: clockid_t) -> Duration {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }
}
