import Foundation
import Store

/// The single thread that writes to SQLite, fed through a bounded queue.
///
/// Decoding and writing overlap on two cores; a full queue makes decoding wait, so memory
/// stays bounded whatever the input size.
final class WriterThread: @unchecked Sendable {
    let queue: BoundedQueue<WriteJob>
    private let store: IncidentStore
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: (any Error)?
    /// CPU seconds the writer thread used.
    private(set) var cpuSeconds = 0.0

    init(store: IncidentStore, capacity: Int) {
        self.store = store
        self.queue = BoundedQueue(capacity: capacity)
    }

    func start() {
        let thread = Thread { [self] in
            Thread.current.name = "tj-writer"  // set from the thread itself, so top and perf show it
            let cpuStart = ThreadCPUTime.now()
            let writer = store.makeWriter()
            while let job = queue.pop() {
                if self.error != nil { continue }  // drain without writing after a failure
                do {
                    _ = try writer.write(job.records, progress: job.progress)
                } catch {
                    lock.withLock { failure = error }
                }
            }
            lock.withLock { cpuSeconds = ThreadCPUTime.now() - cpuStart }
            done.signal()
        }
        thread.name = "tracejoin-writer"
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// The first write error, if any; the producer checks it to stop early.
    var error: (any Error)? { lock.withLock { failure } }

    var writerCPUSeconds: Double { lock.withLock { cpuSeconds } }

    /// Closes the queue and waits until everything queued has been written.
    func finish() throws {
        queue.close()
        done.wait()
        if let error { throw error }
    }
}
