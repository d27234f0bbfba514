import Foundation

/// Threads of tracejoin's own, for work that blocks on SQLite and files (writers, the tail poller, the trace
/// finalizer) and so does not belong on Swift concurrency's few cooperative threads.
package enum DedicatedThread {
    /// Starts `body` on a new thread with a 4 MiB stack, named `name` from the thread itself so `top -H`
    /// and `perf` show it. Linux thread names hold 15 bytes; a longer one is refused, so keep `name` short.
    package static func start(named name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            Thread.current.name = name
            body()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }
}
