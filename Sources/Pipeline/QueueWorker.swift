import Foundation
import TraceJoinCore

/// One thread that does the jobs of a bounded queue in order: the SQLite writer of `batch` and of `tail`.
///
/// Producing jobs (reading, decoding, scrubbing) and doing them (SQLite inserts) cost about the same CPU, so
/// on two threads they overlap. The queue holds at most `capacity` jobs, so memory stays bounded whatever the
/// input size: a full queue blocks the producer (backpressure), nothing is dropped.
///
/// After a failed job the thread keeps draining the queue without doing the rest (so the producer never
/// blocks on a queue nobody empties), and ``error``, ``submit(_:)``, ``throwIfFailed()`` and ``finish()``
/// report the first error.
final class QueueWorker<Job: Sendable>: @unchecked Sendable {
    let queue: BoundedQueue<Job>
    private let ended = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: (any Error)?
    private var cpu = 0.0

    init(capacity: Int) {
        queue = BoundedQueue(capacity: capacity)
    }

    /// Starts the thread `name`. `makeHandler` runs on it first (so what it creates, such as an
    /// `IngestWriter`, belongs to that thread); the handler it returns does each job.
    ///
    /// The handler gets each job `inout`, as the only owner of it: it can move the job's arrays out and change
    /// them in place, without a copy.
    func start(named name: String, handler makeHandler: @escaping @Sendable () -> (inout Job) throws -> Void) {
        DedicatedThread.start(named: name) { [self] in
            let cpuStart = ThreadCPUTime.now()
            let handle = makeHandler()
            while var job = queue.pop() {
                guard error == nil else { continue }
                do {
                    try handle(&job)
                } catch {
                    lock.withLock { failure = error }
                }
            }
            lock.withLock { cpu = ThreadCPUTime.now() - cpuStart }
            ended.signal()
        }
    }

    /// The first error a job threw, if any; the producer checks it to stop early.
    var error: (any Error)? { lock.withLock { failure } }

    /// CPU seconds the thread used, once it has ended.
    var cpuSeconds: Double { lock.withLock { cpu } }

    /// Throws the error of the first job that failed, if one did.
    func throwIfFailed() throws {
        if let error { throw error }
    }

    /// Queues a job, waiting while the queue is full; throws instead if an earlier job failed.
    func submit(_ job: Job) throws {
        try throwIfFailed()
        queue.push(job)
    }

    /// Closes the queue, waits until the thread has done (or, after a failure, dropped) every job queued and
    /// ended, then throws the first error.
    func finish() throws {
        queue.close()
        ended.wait()
        try throwIfFailed()
    }
}
