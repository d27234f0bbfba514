import Foundation

/// The thread that commits `tracejoin tail`'s batches, fed by the polling thread through a bounded queue.
///
/// Polling, decoding and scrubbing cost about as much CPU per line as the SQLite inserts; on one thread they
/// add up, on two they overlap. The queue holds at most `capacity` jobs (each at most `linesPerTransaction`
/// lines), so memory stays bounded: a full queue blocks the poller (backpressure), nothing is dropped, and the
/// files simply wait on disk.
///
/// After a failed job the thread keeps draining the queue without writing (so the poller never blocks on a
/// queue nobody empties) and ``submit(_:)``, ``throwIfFailed()`` and ``finish()`` throw the first error.
final class TailWriterThread: @unchecked Sendable {
    private let queue: BoundedQueue<TailWriteJob>
    private let performer: TailJobPerformer
    private let ended = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: (any Error)?

    init(performer: TailJobPerformer, capacity: Int) {
        self.performer = performer
        queue = BoundedQueue(capacity: capacity)
    }

    func start() {
        let thread = Thread { [self] in
            Thread.current.name = "tj-tail-writer"  // set from the thread itself, so top and perf show it
            while let job = queue.pop() {
                guard lock.withLock({ failure == nil }) else { continue }
                do {
                    try performer.perform(job)
                } catch {
                    lock.withLock { failure = error }
                }
            }
            ended.signal()
        }
        thread.name = "tracejoin-tail-writer"
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Queues a job, waiting while the queue is full; throws instead if an earlier job failed.
    func submit(_ job: TailWriteJob) throws {
        try throwIfFailed()
        queue.push(job)
    }

    /// Throws the error of the first job that failed, if one did.
    func throwIfFailed() throws {
        if let error = lock.withLock({ failure }) { throw error }
    }

    /// Closes the queue, waits until the thread has done (or, after a failure, dropped) every job queued and
    /// ended, then throws the first error.
    func finish() throws {
        queue.close()
        ended.wait()
        try throwIfFailed()
    }
}
