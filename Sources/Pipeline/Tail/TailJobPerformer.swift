import Foundation
import Store

/// Does the write jobs of one ``TailRunner`` with ONE `IngestWriter`: on the writer thread while
/// ``TailRunner/run(until:onPoll:)`` runs, on the caller's thread otherwise (a test driving `pollAll()`).
///
/// Only one thread performs jobs at a time (the writer thread is started and joined by the runner); the lock
/// guards only ``progress``, which the polling thread reads while the writer thread works.
final class TailJobPerformer: @unchecked Sendable {
    private let store: IncidentStore
    private let writer: IngestWriter
    private let lock = NSLock()
    private var done = TailWriteProgress()

    init(store: IncidentStore) {
        self.store = store
        writer = store.makeWriter()
    }

    /// What was committed so far.
    var progress: TailWriteProgress { lock.withLock { done } }

    func perform(_ job: TailWriteJob) throws {
        switch job {
        case .commit(let commit):
            _ = try writer.write(
                commit.records, progress: [], tailCheckpoints: commit.checkpoints,
                forgettingTailFiles: commit.forgotten)
            lock.withLock { done.recordsCommitted += commit.records.count }
        case .finalizeIdleTraces(let classifier, let idle):
            try TraceFinalizer.finalizeIdleTraces(
                in: store, classifier: classifier, idle: idle, now: TailRunner.wallClockNanos())
            let dirty = try store.dirtyTraceCount() > 0
            lock.withLock {
                done.finalizesDone += 1
                done.tracesLeftDirty = dirty
            }
        }
    }
}

/// What a ``TailJobPerformer`` has done, as the polling thread sees it.
struct TailWriteProgress: Sendable {
    /// Records committed (rows inserted or already there: a line read twice counts twice).
    var recordsCommitted = 0
    /// Summary passes done.
    var finalizesDone = 0
    /// Whether traces were still open (dirty, not idle yet) after the last summary pass.
    var tracesLeftDirty = false
}
