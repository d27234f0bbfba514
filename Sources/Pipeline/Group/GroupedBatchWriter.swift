import Foundation
import Rules
import Store
import TraceJoinCore

/// `batch`'s writer (issue #16): a night's rows reach the store grouped by trace, through ``TraceGroupSorter``.
///
/// While files are read, ``take(_:)`` runs on the writer thread: rows outside any trace (uncorrelated logs,
/// rejects) are written at once, in arrival order, and the rest go into the sorter. ``finish(written:)`` then
/// merges the sorted runs and writes them in transactions of `batchEntries` rows, so trace keys are handed out,
/// and rows appended, in trace order. Every file's progress commits with the last of them: a file is complete
/// only once all its rows are stored. A run killed before that leaves its files partial: the next run deletes
/// the grouped rows it wrote (``IncidentStore/undoUnfinishedBatches()``) and reads the files again; the origin
/// keys of the other rows (`logs` written at once, `rejects`) and the span key keep those from being stored
/// twice.
final class GroupedBatchWriter: @unchecked Sendable {
    private let ingest: IngestWriter
    private let store: IncidentStore
    private let classifier: Classifier
    private let sorter: TraceGroupSorter
    private let batchEntries: Int
    private let runID: Int64
    private var progress: [SourceProgress] = []
    /// CPU seconds spent sorting (adding to runs, spilling, merging) and writing.
    private(set) var groupCPUSeconds = 0.0
    private(set) var writeCPUSeconds = 0.0
    /// Traces the writer created summarised, from their groups (read after ``finish(written:)``).
    private(set) var tracesSummarised = 0
    /// CPU seconds of ``finish(written:)`` on the thread that called it: the merge.
    private(set) var finishCPUSeconds = 0.0

    /// - Parameters:
    ///   - spillDirectory: where sorted runs are spilled (beside the database).
    ///   - batchEntries: rows per transaction when the groups are written.
    ///   - classifier: classifies the failed traces summarised from their groups.
    init(
        store: IncidentStore, runID: Int64, spillDirectory: String, batchEntries: Int, classifier: Classifier,
        runBytes: Int = 32 << 20
    ) {
        self.runID = runID
        self.store = store
        self.classifier = classifier
        ingest = store.makeWriter(keepsIdleClock: false)
        sorter = TraceGroupSorter(directory: spillDirectory, runBytes: runBytes)
        self.batchEntries = batchEntries
    }

    /// Rows grouped so far, to be written by ``finish(written:)``.
    var pendingRows: Int { sorter.count }

    /// Takes one scrubbed batch, on the writer thread.
    func take(_ job: inout WriteJob) throws {
        let started = ThreadCPUTime.now()
        var rest = RowBatch()
        for rows in job.rows { try sorter.add(rows, rest: &rest) }
        progress.append(contentsOf: job.progress)
        let sorted = ThreadCPUTime.now()
        groupCPUSeconds += sorted - started
        if rest.count > 0 {
            _ = try ingest.write(rows: [rest], progress: [])
            writeCPUSeconds += ThreadCPUTime.now() - sorted
        }
    }

    /// Writes the grouped rows, then the files' progress with the last of them; `written` is told, on the writing
    /// thread, how many rows are stored so far, of ``pendingRows``. Call once, after the last ``take(_:)`` has
    /// returned.
    ///
    /// The runs are merged on the calling thread while a thread of its own writes the batches merged before.
    func finish(written: @escaping @Sendable (Int) -> Void) throws {
        var checkpoints: [Int64: Int64] = [:]
        for item in progress {
            checkpoints[item.sourceID] = min(checkpoints[item.sourceID] ?? .max, item.checkpointOffset)
        }
        ingest.groupedRun = GroupedRun(runID: runID, checkpoints: checkpoints)
        defer { ingest.groupedRun = nil }
        let writes = QueueWorker<GroupWrite>(capacity: 4)
        // Freeing a written batch (its records' strings and arrays) took ~4 % of the writer, the thread every row
        // waits for in this phase: it is handed back, and freed on the merging thread, which has time to spare.
        let retired = RetiredBatches()
        writes.start(named: "tj-writer") { [self] in
            var done = 0
            return { job in
                guard let rows = job.rows.take() else { return }
                let stats = try self.ingest.write(rows: [rows], progress: job.progress, endingGroupedRun: job.last)
                self.tracesSummarised += stats.tracesSummarised
                done += rows.count
                retired.add(rows)
                written(done)
            }
        }
        let started = ThreadCPUTime.now()
        let merged = Result {
            // One batch is held back, so that the last carries the progress.
            var held: RowBatch?
            let failed = FailedTraceSummaries(classifier: classifier, paths: try store.sourcePaths())
            try sorter.finish(batchEntries: batchEntries, failed: failed) { batch in
                if let previous = held.take() { try writes.submit(GroupWrite(rows: previous, progress: [], last: false)) }
                held = batch
                retired.free()
            }
            try writes.submit(GroupWrite(rows: held ?? RowBatch(), progress: progress, last: true))
        }
        finishCPUSeconds = ThreadCPUTime.now() - started
        groupCPUSeconds += finishCPUSeconds
        let wrote = Result { try writes.finish() }
        writeCPUSeconds += writes.cpuSeconds
        progress = []
        try wrote.get()
        try merged.get()
    }
}

/// Rows merged by trace, on their way to the writing thread.
private struct GroupWrite: Sendable {
    var rows: RowBatch?
    var progress: [SourceProgress]
    var last: Bool
}

/// Batches the writer has stored, waiting to be freed on another thread.
private final class RetiredBatches: @unchecked Sendable {
    private let lock = NSLock()
    private var batches: [RowBatch] = []

    func add(_ batch: RowBatch) {
        lock.withLock { batches.append(batch) }
    }

    /// Frees the batches added so far, on the calling thread (outside the lock).
    func free() {
        var taken: [RowBatch] = []
        lock.withLock { swap(&taken, &batches) }
    }
}
