import Foundation

/// The end of a dedicated thread, awaited from async code: the thread calls ``finish(_:)`` once, tasks
/// ``wait()`` for it (returning at once when it already ended).
///
/// The writer, the finalizer and `tail` block on SQLite and files, so they run on threads of their own
/// rather than on Swift concurrency's few cooperative threads; their `Service.run()` waits here.
final class ThreadCompletion: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<Void, any Error>?
    private var waiters: [CheckedContinuation<Void, any Error>] = []

    /// Records how the thread ended and wakes every waiter; later calls are ignored.
    func finish(_ result: Result<Void, any Error>) {
        let woken: [CheckedContinuation<Void, any Error>] = lock.withLock {
            guard self.result == nil else { return [] }
            self.result = result
            defer { waiters.removeAll() }
            return waiters
        }
        for waiter in woken { waiter.resume(with: result) }
    }

    var isFinished: Bool { lock.withLock { result != nil } }

    /// Returns when the thread has ended; throws what it threw.
    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let ended: Result<Void, any Error>? = lock.withLock {
                if result == nil { waiters.append(continuation) }
                return result
            }
            if let ended { continuation.resume(with: ended) }
        }
    }
}
