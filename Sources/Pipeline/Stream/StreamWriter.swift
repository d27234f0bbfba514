import Foundation
import Store
import TraceJoinCore

/// What became of one submission to the ``StreamWriter``.
enum StreamWriteOutcome: Sendable, Equatable {
    /// Committed: every record of the submission is in the database.
    case committed
    /// Not taken: the queue is full.
    case overloaded(retryAfterSeconds: Int)
    /// Not taken (shutting down) or not written (the transaction failed and rolled back).
    case unavailable(String)
}

/// The one thread that writes received records: drains a bounded queue of submissions, commits several of
/// them per transaction (group commit), then answers each.
///
/// The bound is on records accepted and not yet committed (queued or being written), in count and in
/// estimated bytes: a submission that would go over is refused at once (`overloaded`), so an HTTP handler
/// never waits for room and memory never grows with the load. A submission is answered `committed` only
/// after its transaction commits, so an acknowledged export is durable (docs/streaming.md).
///
/// Owns its own `IngestWriter`; GRDB serialises it with other writers of the same `IncidentStore` (a `tail`
/// in the same process). A failed transaction rolls back whole: its submissions are answered `unavailable`,
/// readiness turns false, and the next batch tries again.
final class StreamWriter: @unchecked Sendable {
    private let store: IncidentStore
    private let configuration: StreamConfiguration
    private let metrics: StreamMetrics
    private let clock: any ThreadClock
    private let completion = ThreadCompletion()
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var waiting: [Submission] = []
    private var queuedRecords = 0
    private var queuedBytes = 0
    private var accepting = true
    private var started = false
    private var lastFailure: String?
    private var totals = StreamCounts()

    struct Submission {
        /// The request's records, as the rows the writer binds (made on the request's thread).
        var rows: RowBatch
        var signal: OTLPSignal
        var rejects: Int
        var estimatedBytes: Int
        var continuation: CheckedContinuation<StreamWriteOutcome, Never>
    }

    /// `clock` times each batch for `tracejoin_stream_write_batch_seconds`.
    init(store: IncidentStore, configuration: StreamConfiguration, metrics: StreamMetrics, clock: any ThreadClock) {
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.clock = clock
    }

    /// Starts the writing thread (once; later calls do nothing).
    func start() {
        let first = condition.withLock {
            defer { started = true }
            return !started
        }
        guard first else { return }
        DedicatedThread.start(named: "tj-otlp-writer") { [self] in
            writeUntilDrained()
            completion.finish(.success(()))
        }
    }

    // MARK: - Admission

    /// Why a request of about `estimatedBytes` would be refused now, before it is decoded; nil if there is room.
    func refusal(estimatedBytes: Int) -> StreamWriteOutcome? {
        condition.withLock { admission(records: 1, bytes: estimatedBytes) }
    }

    /// Queues `records` and returns once they are committed, or at once when they do not fit.
    func submit(_ records: RowBatch, signal: OTLPSignal, rejects: Int, estimatedBytes: Int) async
        -> StreamWriteOutcome
    {
        await withCheckedContinuation { continuation in
            let refused: StreamWriteOutcome? = condition.withLock {
                if let refusal = admission(records: records.count, bytes: estimatedBytes) { return refusal }
                waiting.append(
                    Submission(
                        rows: records, signal: signal, rejects: rejects, estimatedBytes: estimatedBytes,
                        continuation: continuation))
                queuedRecords += records.count
                queuedBytes += estimatedBytes
                condition.signal()
                return nil
            }
            if let refused { continuation.resume(returning: refused) } else { publishQueueDepth() }
        }
    }

    /// Called with `condition` locked. A request larger than the whole queue is taken when the queue is
    /// empty, or it could never be stored.
    private func admission(records: Int, bytes: Int) -> StreamWriteOutcome? {
        guard accepting else { return .unavailable("shutting down") }
        if queuedRecords == 0 { return nil }
        if queuedRecords + records > configuration.queueRecords || queuedBytes + bytes > configuration.queueBytes {
            totals.overloaded += 1
            return .overloaded(retryAfterSeconds: configuration.retryAfterSeconds)
        }
        return nil
    }

    /// Refuses new submissions (`unavailable("shutting down")`); what is queued is still written. Then wait
    /// for ``finished()``.
    func stopAccepting() {
        condition.withLock {
            accepting = false
            condition.broadcast()
        }
    }

    /// Returns once the queue is closed and drained and the thread has ended (call ``stopAccepting()`` first).
    func finished() async {
        start()  // a writer that never ran still has to drain what was queued
        try? await completion.wait()
    }

    // MARK: - State

    /// Database writable (the last transaction committed) and queue below its limits.
    func readiness() -> IntakeReadiness {
        condition.withLock {
            let queue =
                "queue \(queuedRecords)/\(configuration.queueRecords) records, "
                + "\(queuedBytes >> 20)/\(configuration.queueBytes >> 20) MiB"
            if !accepting { return IntakeReadiness(isReady: false, detail: "shutting down; \(queue)") }
            if let lastFailure {
                return IntakeReadiness(isReady: false, detail: "last write failed: \(lastFailure); \(queue)")
            }
            let full = queuedRecords >= configuration.queueRecords || queuedBytes >= configuration.queueBytes
            return IntakeReadiness(isReady: !full, detail: (full ? "queue full; " : "database writable; ") + queue)
        }
    }

    var counts: StreamCounts { condition.withLock { totals } }

    /// Records accepted and not yet committed.
    var queuedRecordCount: Int { condition.withLock { queuedRecords } }

    func countDropped(_ count: Int, signal: OTLPSignal) {
        guard count > 0 else { return }
        condition.withLock { totals.droppedByRules += count }
        metrics.count(count, signal, .droppedByRules)
    }

    // MARK: - The thread

    private func writeUntilDrained() {
        let writer = store.makeWriter()
        while let batch = nextBatch() {
            let started = clock.elapsed
            let outcome: StreamWriteOutcome
            let failure: String?
            do {
                _ = try writer.write(rows: batch.map(\.rows), progress: [])
                outcome = .committed
                failure = nil
            } catch {
                failure = "\(error)"
                outcome = .unavailable("the database cannot be written: \(error)")
            }
            metrics.recordBatch(clock.elapsed - started)
            condition.withLock {
                queuedRecords -= batch.reduce(0) { $0 + $1.rows.count }
                queuedBytes -= batch.reduce(0) { $0 + $1.estimatedBytes }
                lastFailure = failure
                totals.transactions += 1
                if outcome == .committed {
                    for submission in batch {
                        totals.recordsWritten += submission.rows.count - submission.rejects
                        totals.rejectsWritten += submission.rejects
                    }
                } else {
                    totals.failedSubmissions += batch.count
                }
            }
            publishQueueDepth()
            for submission in batch {
                if outcome == .committed {
                    metrics.count(submission.rows.count - submission.rejects, submission.signal, .written)
                    metrics.count(submission.rejects, submission.signal, .rejected)
                }
                submission.continuation.resume(returning: outcome)
            }
        }
    }

    /// The next group of submissions (at least one, up to `recordsPerTransaction` records), waiting while the
    /// queue is empty; nil once it is closed and drained.
    private func nextBatch() -> [Submission]? {
        condition.withLock {
            while waiting.isEmpty && accepting { condition.wait() }
            guard !waiting.isEmpty else { return nil }
            var count = 1
            var records = waiting[0].rows.count
            while count < waiting.count, records + waiting[count].rows.count <= configuration.recordsPerTransaction {
                records += waiting[count].rows.count
                count += 1
            }
            defer { waiting.removeFirst(count) }
            return Array(waiting[..<count])
        }
    }

    private func publishQueueDepth() {
        let (records, bytes) = condition.withLock { (queuedRecords, queuedBytes) }
        metrics.recordQueue(records: records, bytes: bytes)
    }
}

/// What the streaming write path did since it started (also in swift-metrics, see ``StreamMetrics``).
package struct StreamCounts: Sendable, Equatable {
    /// Spans and logs committed.
    package var recordsWritten = 0
    /// Rejected records committed to `rejects`.
    package var rejectsWritten = 0
    /// Records a `drop-record` rule removed.
    package var droppedByRules = 0
    /// Requests refused because the queue was full.
    package var overloaded = 0
    /// Requests whose transaction failed (answered `unavailable`).
    package var failedSubmissions = 0
    /// Transactions committed or tried.
    package var transactions = 0
}
