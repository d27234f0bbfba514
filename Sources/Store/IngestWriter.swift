import GRDB
import TraceJoinCore

/// Writes records to the store, one batch per transaction, from one thread.
///
/// Trace IDs become `trace_key`s through a bounded cache (`traceKeyCacheSize` entries), so a
/// known trace costs no query. Spans, rejects and logs outside a grouped run are `INSERT OR IGNORE` on
/// their natural keys, which makes reading a record again idempotent; a grouped `batch`'s logs carry its run
/// instead (``GroupedRun``, undone if it never ends). Span events are inserted only with a span row
/// that was new. Spans and logs go in multi-row inserts of 16 and 32. Every trace a batch changed
/// is marked dirty once, for the summary pass, unless it was created with its summary (``RowBatch/summaries``).
package final class IngestWriter {
    /// Most trace IDs remembered at once (about 50 bytes each).
    package static let traceKeyCacheSize = 100_000

    let store: IncidentStore
    /// Full trace IDs → `trace_key`.
    var fullKeys = GenerationCache<TraceID, Int64>(capacity: traceKeyCacheSize)
    /// Lower 64 bits → the trace a Datadog-only reference joins (a full trace when one is known).
    var lowerKeys = GenerationCache<UInt64, Int64>(capacity: traceKeyCacheSize)
    /// The last trace resolved, since consecutive records often belong to the same trace.
    var lastTrace: (id: TraceID, key: Int64)?
    /// Resource attribute JSON → `resource_id`; resources repeat on every span of a process.
    var resourceIDs = GenerationCache<[UInt8], Int64>(capacity: 4_096)
    /// The last resource seen: spans of one export share one resource array, and comparing an array
    /// with itself is a pointer check.
    var lastResource: (attributes: [Attribute], id: Int64?)?
    var mergeEpoch: Int
    let arena = BindArena()
    /// Reused for every attribute column, so encoding allocates nothing once warm.
    var json = JSONBuffer()
    /// Spans and logs waiting for their group's multi-row insert, as positions in the batch being written:
    /// the records themselves are not copied.
    var pendingSpans: [PendingSpan] = []
    var pendingLogs: [PendingLog] = []
    /// Traces inserted by the transaction being written.
    var createdTraces = Set<Int64>()
    /// Whether a trace that gets rows has its `updated_ns` set to now even when it is dirty already: the idle
    /// clock of the live summary pass (`tail`, `serve`). `batch` summarises after ingest and only bumps the
    /// revision of a dirty trace, which rewrites its row but none of its index entries: 710k such touches on
    /// the 1 GB night took 5 of the writer's 24 s of CPU.
    let keepsIdleClock: Bool
    /// Set while a grouped `batch` writes its sorted rows: see ``GroupedRun``.
    package var groupedRun: GroupedRun? {
        didSet { storedLows = nil }
    }
    /// In a grouped run, whose traces come in rising (unsigned) lower bits: the lowest `trace_lo` stored at or
    /// above `from` when last looked up (nil: none). A full trace whose lower bits fall between the two is not
    /// stored, nor is a provisional trace with its bits, so it is created without a lookup. Only this writer adds
    /// traces meanwhile, each at the bits it is then writing, so what was absent above them stays absent.
    var storedLows: (from: UInt64, next: UInt64?)?

    init(store: IncidentStore, keepsIdleClock: Bool) {
        self.store = store
        self.keepsIdleClock = keepsIdleClock
        mergeEpoch = store.state.mergeEpoch
    }

    /// Writes records in ONE transaction, together with the source progress they cover: their rows are made here,
    /// on the writer's thread (``write(rows:progress:tailCheckpoints:forgettingTailFiles:)`` takes rows made
    /// elsewhere).
    package func write(
        _ records: [SourcedRecord], progress: [SourceProgress], tailCheckpoints: [StoredTailCheckpoint] = [],
        forgettingTailFiles forgotten: [StoredTailFile] = []
    ) throws -> WriteStats {
        try write(
            rows: [RowBatch(records)], progress: progress, tailCheckpoints: tailCheckpoints,
            forgettingTailFiles: forgotten)
    }

    /// Writes batches of rows, made from scrubbed records before they reach this thread (``RowBatch``), in ONE
    /// transaction together with the source progress and tail checkpoints they cover: every write goes through here.
    ///
    /// Either all of it commits or none of it does, so a checkpoint never runs ahead of its rows.
    /// Progress for an unknown `sourceID` is an error and rolls the whole batch back.
    ///
    /// `endingGroupedRun`: these are the last rows of ``groupedRun``, committed with its files' progress; it
    /// no longer needs undoing if it ends before its summaries.
    package func write(
        rows groups: [RowBatch], progress: [SourceProgress], tailCheckpoints: [StoredTailCheckpoint] = [],
        forgettingTailFiles forgotten: [StoredTailFile] = [], endingGroupedRun: Bool = false
    ) throws -> WriteStats {
        do {
            return try store.pool.write { db in
                // Read under the write lock: a merge bumps the epoch inside its own write transaction.
                let epoch = store.state.mergeEpoch
                if epoch != mergeEpoch {
                    // Provisional traces were merged away: cached keys may name deleted rows.
                    forgetTraceKeys()
                    mergeEpoch = epoch
                }
                let statements = try IngestStatements(db, arena: arena)
                var stats = WriteStats()
                var touched = Set<Int64>()
                createdTraces.removeAll(keepingCapacity: true)
                let now = IncidentStore.now()
                for group in groups.indices {
                    let entries = groups[group].entries
                    let summaries = groups[group].summaries
                    for index in entries.indices {
                        let position = RecordPosition(group: group, index: index)
                        switch entries[index] {
                        case .log(let row):
                            let key: Int64? =
                                switch row.trace?.correlating {
                                case .full(let id)?:
                                    try fullTraceKey(id, statements, stats: &stats, now: now, summaries: summaries)
                                case .lower64(let low)?: try lowerTraceKey(low, statements, stats: &stats, now: now)
                                case nil: nil
                                }
                            pendingLogs.append(PendingLog(position: position, traceKey: key))
                            if pendingLogs.count == IngestStatements.logsPerInsert {
                                try flushLogs(groups, statements, stats: &stats, touched: &touched)
                            }
                        case .record(let sourced):
                            switch sourced.record {
                            case .span(let span):
                                let key = try fullTraceKey(
                                    span.traceID, statements, stats: &stats, now: now, summaries: summaries)
                                let resourceID = try resourceID(for: span.resource, statements)
                                pendingSpans.append(
                                    PendingSpan(
                                        position: position, traceKey: key, resourceID: resourceID,
                                        sourceID: sourced.sourceID, hasEvents: !span.events.isEmpty))
                                if pendingSpans.count == IngestStatements.spansPerInsert {
                                    try flushSpans(groups, statements, stats: &stats, touched: &touched)
                                }
                            case .log:
                                preconditionFailure("a row batch holds its logs as rows")
                            case .reject(let reject):
                                stats.rejectsInserted += try insert(reject, sourceID: sourced.sourceID, statements)
                            }
                        }
                    }
                }
                try flushSpans(groups, statements, stats: &stats, touched: &touched)
                try flushLogs(groups, statements, stats: &stats, touched: &touched)
                // A trace created in this transaction was inserted dirty, at revision 1 and with this `now`:
                // touching it again would rewrite its row and two index entries for nothing.
                for key in touched where !createdTraces.contains(key) {
                    if !keepsIdleClock {
                        // The revision still moves, so a summary read before these rows is not saved as final.
                        statements.bumpDirtyTrace.bind(1, key)
                        if try statements.bumpDirtyTrace.run() == 1 { continue }
                    }
                    statements.touchTrace.bind(1, now)
                    statements.touchTrace.bind(2, key)
                    try statements.touchTrace.run()
                }
                stats.tracesTouched = touched.count
                for item in progress {
                    try save(item, statements, now: now)
                }
                if endingGroupedRun, let run = groupedRun { try IncidentStore.endGroupedRun(run.runID, db) }
                try Self.save(tailCheckpoints, db, now: now)
                try Self.forget(forgotten, db)
                return stats
            }
        } catch {
            // Keys handed out inside the rolled-back transaction may be reused for other traces.
            forgetTraceKeys()
            resourceIDs.removeAll()
            lastResource = nil
            pendingSpans.removeAll()
            pendingLogs.removeAll()
            throw error
        }
    }

    // MARK: - Trace keys

    private func forgetTraceKeys() {
        fullKeys.removeAll()
        lowerKeys.removeAll()
        lastTrace = nil
    }

    /// The key of trace `id`, created if it is new: summarised at once when `summaries` has its summary.
    private func fullTraceKey(
        _ id: TraceID, _ statements: IngestStatements, stats: inout WriteStats, now: Int64,
        summaries: [TraceID: GroupSummary] = [:]
    ) throws -> Int64 {
        if let last = lastTrace, last.id == id { return last.key }
        if let key = fullKeys.value(for: id) {
            lastTrace = (id, key)
            return key
        }
        let key: Int64
        let mayBeStored = try groupedRun == nil || lowMayBeStored(id.low, statements)
        statements.findFull.bind(1, Int64(bitPattern: id.low))
        statements.findFull.bind(2, Int64(bitPattern: id.high))
        if mayBeStored, let found = try statements.findFull.firstInt64() {
            key = found
        } else if let summary = summaries[id], try !mayBeStored || !hasProvisionalTrace(low: id.low, statements) {
            key = try createTrace(id, summary: summary, statements, now: now)
            stats.tracesCreated += 1
            stats.tracesSummarised += 1
        } else {
            key = try createTrace(high: id.high, low: id.low, lower64Only: false, statements, now: now)
            stats.tracesCreated += 1
        }
        fullKeys.insert(key, for: id)
        lowerKeys.insert(key, for: id.low)
        lastTrace = (id, key)
        return key
    }

    /// Whether a trace with these lower bits may be stored (see ``storedLows``); looks the next stored bits up
    /// only when `low` has passed them.
    private func lowMayBeStored(_ low: UInt64, _ statements: IngestStatements) throws -> Bool {
        if let known = storedLows, low >= known.from {
            guard let next = known.next else { return false }
            if low < next { return false }
            if low == next { return true }
        }
        let next = try lowestStored(atOrAbove: low, statements)
        storedLows = (low, next)
        return next == low
    }

    /// The lowest `trace_lo` stored at or above `low`, compared unsigned. SQLite compares them signed, so
    /// the search covers [low, 2^63), then [2^63, 2^64), which are stored negative.
    private func lowestStored(atOrAbove low: UInt64, _ statements: IngestStatements) throws -> UInt64? {
        let signed = Int64(bitPattern: low)
        let ranges: [(from: Int64, to: Int64)] = signed >= 0 ? [(signed, Int64.max), (Int64.min, Int64(-1))] : [(signed, Int64(-1))]
        for range in ranges {
            statements.findStoredLow.bind(1, range.from)
            statements.findStoredLow.bind(2, range.to)
            if let found = try statements.findStoredLow.firstInt64() { return UInt64(bitPattern: found) }
        }
        return nil
    }

    /// A Datadog-style reference: the full trace with these lower bits if one is stored, else a
    /// provisional trace (`lower64_only = 1`) that `mergeLower64Traces` folds in later.
    private func lowerTraceKey(_ low: UInt64, _ statements: IngestStatements, stats: inout WriteStats, now: Int64)
        throws -> Int64
    {
        if let key = lowerKeys.value(for: low) { return key }
        let key: Int64
        statements.findLower.bind(1, Int64(bitPattern: low))
        if let found = try statements.findLower.firstInt64() {
            key = found
        } else {
            key = try createTrace(high: 0, low: low, lower64Only: true, statements, now: now)
            stats.tracesCreated += 1
        }
        lowerKeys.insert(key, for: low)
        return key
    }

    private func createTrace(
        high: UInt64, low: UInt64, lower64Only: Bool, _ statements: IngestStatements, now: Int64
    ) throws -> Int64 {
        let statement = statements.insertTrace
        statement.bind(1, Int64(bitPattern: high))
        statement.bind(2, Int64(bitPattern: low))
        statement.bind(3, lower64Only)
        statement.bind(4, now)
        try statement.run()
        let key = statement.lastInsertedRowID
        createdTraces.insert(key)
        return key
    }

    /// Whether Datadog-only logs with these lower bits wait for their full trace: `mergeLower64Traces` folds them
    /// into it, and the trace must then be summarised with them, by the summary pass.
    private func hasProvisionalTrace(low: UInt64, _ statements: IngestStatements) throws -> Bool {
        statements.findProvisional.bind(1, Int64(bitPattern: low))
        return try statements.findProvisional.firstInt64() != nil
    }

    /// A new trace stored with the summary made from its rows as they were grouped, not dirty.
    private func createTrace(_ id: TraceID, summary: GroupSummary, _ statements: IngestStatements, now: Int64)
        throws -> Int64
    {
        let statement = statements.insertSummarisedTrace
        statement.bind(1, Int64(bitPattern: id.high))
        statement.bind(2, Int64(bitPattern: id.low))
        statement.bind(3, now)
        // Bound as `saveSummaries` binds it, so the row is the one the summary pass would have stored.
        SummaryColumns.bind(summary.summary, summary.classification, to: statement, from: 3)
        try statement.run()
        let key = statement.lastInsertedRowID
        createdTraces.insert(key)
        return key
    }

    // MARK: - Rejects and progress

    private func insert(_ reject: RejectedRecord, sourceID: Int64, _ statements: IngestStatements) throws -> Int {
        let statement = statements.insertReject
        statement.bind(1, sourceID)
        statement.bind(2, reject.origin.line)
        statement.bind(3, reject.origin.byteOffset)
        statement.bind(4, reject.origin.ordinal)
        statement.bind(5, reject.reason)
        statement.bind(6, reject.raw)
        return try statement.run()
    }

    private func save(_ progress: SourceProgress, _ statements: IngestStatements, now: Int64) throws {
        let statement = statements.saveProgress
        statement.bind(1, progress.checkpointOffset)
        statement.bind(2, progress.complete ? "complete" : "partial")
        statement.bind(3, progress.records)
        statement.bind(4, progress.rejects)
        statement.bind(5, progress.complete ? now : nil)
        statement.bind(6, progress.sourceID)
        statement.bind(7, progress.checkpointLine.map(Int64.init))
        guard try statement.run() == 1 else {
            throw StoreError(
                path: store.path, message: "progress for source \(progress.sourceID), which is not registered",
                hint: "call registerSource before writing its records")
        }
    }
}

extension IncidentStore {
    /// The writer for this database; use one at a time, from one thread.
    ///
    /// - Parameter keepsIdleClock: false for `batch`, which summarises after ingest: a trace that is dirty already
    ///   keeps the `updated_ns` of its first change since its last summary (see ``IngestWriter/keepsIdleClock``).
    package func makeWriter(keepsIdleClock: Bool = true) -> IngestWriter {
        IngestWriter(store: self, keepsIdleClock: keepsIdleClock)
    }
}
