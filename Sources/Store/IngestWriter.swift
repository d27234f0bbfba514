import GRDB
import TraceJoinCore

/// Writes records to the store, one batch per transaction, from one thread.
///
/// Trace IDs become `trace_key`s through a bounded cache (`traceKeyCacheSize` entries), so a
/// known trace costs no query. Spans, logs and rejects are `INSERT OR IGNORE` on their natural
/// keys, which makes re-running a batch idempotent; span events are inserted only with a span row
/// that was new. Every trace a batch changed is marked dirty once, for the summary pass.
package final class IngestWriter {
    /// Most trace IDs remembered at once (about 50 bytes each).
    package static let traceKeyCacheSize = 100_000

    private let store: IncidentStore
    /// Full trace IDs → `trace_key`.
    private var fullKeys = GenerationCache<TraceID, Int64>(capacity: traceKeyCacheSize)
    /// Lower 64 bits → the trace a Datadog-only reference joins (a full trace when one is known).
    private var lowerKeys = GenerationCache<UInt64, Int64>(capacity: traceKeyCacheSize)
    /// Resource attribute JSON → `resource_id`; resources repeat on every span of a process.
    private var resourceIDs = GenerationCache<[UInt8], Int64>(capacity: 4_096)
    /// The last resource seen: spans of one export share one resource array, and comparing an array
    /// with itself is a pointer check.
    private var lastResource: (attributes: [Attribute], id: Int64?)?
    /// The last trace resolved, since consecutive records often belong to the same trace.
    private var lastTrace: (id: TraceID, key: Int64)?
    private var mergeEpoch: Int
    private let arena = BindArena()
    /// Reused for every attribute column, so encoding allocates nothing once warm.
    private var json = JSONBuffer()
    /// Logs waiting for a multi-row insert, with their resolved trace keys.
    private var pendingLogs: [(log: LogRecord, key: Int64?, sourceID: Int64)] = []
    /// Logs per multi-row insert: one statement per group saves SQLite's per-statement work
    /// (opening four cursors, starting and halting the program) for all but one row.
    static let logsPerInsert = 32
    static let logColumns = 14

    init(store: IncidentStore) {
        self.store = store
        mergeEpoch = store.state.mergeEpoch
    }

    /// Writes records in ONE transaction, together with the source progress they cover.
    ///
    /// Either all of it commits or none of it does, so a checkpoint never runs ahead of its rows.
    /// Progress for an unknown `sourceID` is an error and rolls the whole batch back.
    package func write(_ records: [SourcedRecord], progress: [SourceProgress]) throws -> WriteStats {
        do {
            return try store.pool.write { db in
                // Read under the write lock: a merge bumps the epoch inside its own write transaction.
                let epoch = store.state.mergeEpoch
                if epoch != mergeEpoch {
                    // Provisional traces were merged away: cached keys may name deleted rows.
                    forgetTraceKeys()
                    mergeEpoch = epoch
                }
                let batch = try Batch(db, arena: arena)
                var stats = WriteStats()
                var touched = Set<Int64>()
                var lastTouched: Int64 = -1
                let now = IncidentStore.now()
                for sourced in records {
                    switch sourced.record {
                    case .span(let span):
                        let key = try fullTraceKey(span.traceID, batch: batch, stats: &stats, now: now)
                        if try insert(span, traceKey: key, sourceID: sourced.sourceID, batch: batch, stats: &stats),
                            key != lastTouched
                        {
                            touched.insert(key)
                            lastTouched = key
                        }
                    case .log(let log):
                        let key: Int64? =
                            switch log.trace {
                            // All-zero IDs are what producers print outside a span: no trace context.
                            case .full(let id)? where !id.isZero:
                                try fullTraceKey(id, batch: batch, stats: &stats, now: now)
                            case .lower64(let low)? where low != 0:
                                try lowerTraceKey(low, batch: batch, stats: &stats, now: now)
                            default: nil
                            }
                        pendingLogs.append((log, key, sourced.sourceID))
                        if pendingLogs.count == Self.logsPerInsert {
                            try flushLogs(batch: batch, stats: &stats, touched: &touched)
                        }
                    case .reject(let reject):
                        stats.rejectsInserted += try insert(reject, sourceID: sourced.sourceID, batch: batch)
                    }
                }
                try flushLogs(batch: batch, stats: &stats, touched: &touched)
                for key in touched {
                    batch.touchTrace.bind(1, now)
                    batch.touchTrace.bind(2, key)
                    try batch.touchTrace.run()
                }
                stats.tracesTouched = touched.count
                for item in progress {
                    try save(item, batch: batch, now: now)
                }
                return stats
            }
        } catch {
            // Keys handed out inside the rolled-back transaction may be reused for other traces.
            forgetTraceKeys()
            resourceIDs.removeAll()
            lastResource = nil
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

    private func fullTraceKey(_ id: TraceID, batch: Batch, stats: inout WriteStats, now: Int64) throws -> Int64 {
        if let last = lastTrace, last.id == id { return last.key }
        if let key = fullKeys.value(for: id) {
            lastTrace = (id, key)
            return key
        }
        let key: Int64
        batch.findFull.bind(1, Int64(bitPattern: id.low))
        batch.findFull.bind(2, Int64(bitPattern: id.high))
        if let found = try batch.findFull.firstInt64() {
            key = found
        } else {
            key = try createTrace(high: id.high, low: id.low, lower64Only: false, batch: batch, now: now)
            stats.tracesCreated += 1
        }
        fullKeys.insert(key, for: id)
        lowerKeys.insert(key, for: id.low)
        lastTrace = (id, key)
        return key
    }

    /// A Datadog-style reference: the full trace with these lower bits if one is stored, else a
    /// provisional trace (`lower64_only = 1`) that `mergeLower64Traces` folds in later.
    private func lowerTraceKey(_ low: UInt64, batch: Batch, stats: inout WriteStats, now: Int64) throws -> Int64 {
        if let key = lowerKeys.value(for: low) { return key }
        let key: Int64
        batch.findLower.bind(1, Int64(bitPattern: low))
        if let found = try batch.findLower.firstInt64() {
            key = found
        } else {
            key = try createTrace(high: 0, low: low, lower64Only: true, batch: batch, now: now)
            stats.tracesCreated += 1
        }
        lowerKeys.insert(key, for: low)
        return key
    }

    private func createTrace(high: UInt64, low: UInt64, lower64Only: Bool, batch: Batch, now: Int64) throws -> Int64 {
        let statement = batch.insertTrace
        statement.bind(1, Int64(bitPattern: high))
        statement.bind(2, Int64(bitPattern: low))
        statement.bind(3, lower64Only)
        statement.bind(4, now)
        try statement.run()
        return statement.lastInsertedRowID
    }

    // MARK: - Rows

    /// Inserts a span (and its events when the span is new); true when it was new.
    private func insert(
        _ span: SpanRecord, traceKey: Int64, sourceID: Int64, batch: Batch, stats: inout WriteStats
    ) throws -> Bool {
        let resourceID = try resourceID(for: span.resource, batch: batch)
        let statement = batch.insertSpan
        let spanID = Int64(bitPattern: span.spanID.value)
        statement.bind(1, traceKey)
        statement.bind(2, spanID)
        statement.bind(3, span.isSharedServerHalf)
        statement.bind(4, span.parentSpanID.map { Int64(bitPattern: $0.value) })
        statement.bind(5, span.service)
        statement.bind(6, span.name)
        statement.bind(7, span.kind.rawValue)
        statement.bind(8, span.startTime)
        statement.bind(9, span.endTime)
        statement.bind(10, span.status.rawValue)
        statement.bind(11, nonEmpty: span.statusMessage)
        statement.bind(12, AttributeJSON.encode(span.attributes, into: &json) ? json.bytes : nil)
        statement.bind(13, resourceID)
        statement.bind(14, nonEmpty: span.scope)
        statement.bind(15, AttributeJSON.encode(span.links, into: &json) ? json.bytes : nil)
        statement.bind(16, Int64(span.flags))
        statement.bind(17, sourceID)
        statement.bind(18, span.origin.line)
        statement.bind(19, span.origin.byteOffset)
        statement.bind(20, span.origin.ordinal)
        guard try statement.run() > 0 else {
            stats.spansDuplicate += 1
            return false
        }
        stats.spansInserted += 1
        for event in span.events {
            let insertEvent = batch.insertEvent
            insertEvent.bind(1, traceKey)
            insertEvent.bind(2, spanID)
            insertEvent.bind(3, span.isSharedServerHalf)
            insertEvent.bind(4, event.time)
            insertEvent.bind(5, event.name)
            insertEvent.bind(6, AttributeJSON.encode(event.attributes, into: &json) ? json.bytes : nil)
            try insertEvent.run()
            stats.eventsInserted += 1
        }
        return true
    }

    private func resourceID(for resource: [Attribute], batch: Batch) throws -> Int64? {
        if let last = lastResource, last.attributes == resource { return last.id }
        guard AttributeJSON.encode(resource, into: &json) else { return nil }
        let encoded = json.bytes
        var id = resourceIDs.value(for: encoded)
        if id == nil {
            batch.insertResource.bind(1, encoded)
            try batch.insertResource.run()
            batch.findResource.bind(1, encoded)
            id = try batch.findResource.firstInt64()
            if let id { resourceIDs.insert(id, for: encoded) }
        }
        lastResource = (resource, id)
        return id
    }

    /// Inserts the pending logs: a full group with one multi-row statement, a partial one row by row.
    ///
    /// A multi-row `INSERT OR IGNORE` reports only how many rows were new, so when some of a group
    /// were duplicates every trace in the group is marked dirty (a spare summary, never a missed one).
    private func flushLogs(batch: Batch, stats: inout WriteStats, touched: inout Set<Int64>) throws {
        if pendingLogs.isEmpty { return }
        defer { pendingLogs.removeAll(keepingCapacity: true) }
        if pendingLogs.count == Self.logsPerInsert {
            for (index, pending) in pendingLogs.enumerated() {
                bind(
                    pending.log, traceKey: pending.key, sourceID: pending.sourceID, to: batch.insertLogs,
                    from: Int32(index * Self.logColumns))
            }
            let inserted = try batch.insertLogs.run()
            stats.logsInserted += inserted
            stats.logsDuplicate += pendingLogs.count - inserted
            if inserted > 0 {
                for pending in pendingLogs { if let key = pending.key { touched.insert(key) } }
            }
            return
        }
        for pending in pendingLogs {
            bind(pending.log, traceKey: pending.key, sourceID: pending.sourceID, to: batch.insertLog, from: 0)
            if try batch.insertLog.run() > 0 {
                stats.logsInserted += 1
                if let key = pending.key { touched.insert(key) }
            } else {
                stats.logsDuplicate += 1
            }
        }
    }

    /// Binds one log's columns at parameters `offset + 1 … offset + logColumns`.
    private func bind(
        _ log: LogRecord, traceKey: Int64?, sourceID: Int64, to statement: RawStatement, from offset: Int32
    ) {
        statement.bind(offset + 1, traceKey)
        statement.bind(offset + 2, log.spanID.map { Int64(bitPattern: $0.value) })
        statement.bind(offset + 3, log.time)
        statement.bind(offset + 4, log.severity.rawValue)
        statement.bind(offset + 5, log.severityText)
        statement.bind(offset + 6, log.message)
        statement.bind(offset + 7, log.service)
        statement.bind(offset + 8, log.serviceFromFileName)
        statement.bind(offset + 9, log.sampled.map { $0 ? 1 : 0 })
        statement.bind(offset + 10, AttributeJSON.encode(log.attributes, into: &json) ? json.bytes : nil)
        statement.bind(offset + 11, sourceID)
        statement.bind(offset + 12, log.origin.line)
        statement.bind(offset + 13, log.origin.byteOffset)
        statement.bind(offset + 14, log.origin.ordinal)
    }

    private func insert(_ reject: RejectedRecord, sourceID: Int64, batch: Batch) throws -> Int {
        let statement = batch.insertReject
        statement.bind(1, sourceID)
        statement.bind(2, reject.origin.line)
        statement.bind(3, reject.origin.byteOffset)
        statement.bind(4, reject.origin.ordinal)
        statement.bind(5, reject.reason)
        statement.bind(6, reject.raw)
        return try statement.run()
    }

    private func save(_ progress: SourceProgress, batch: Batch, now: Int64) throws {
        let statement = batch.saveProgress
        statement.bind(1, progress.checkpointOffset)
        statement.bind(2, progress.complete ? "complete" : "partial")
        statement.bind(3, progress.records)
        statement.bind(4, progress.rejects)
        statement.bind(5, progress.complete ? now : nil)
        statement.bind(6, progress.sourceID)
        guard try statement.run() == 1 else {
            throw StoreError(
                path: store.path, message: "progress for source \(progress.sourceID), which is not registered",
                hint: "call registerSource before writing its records")
        }
    }
}

/// The writer's statements, prepared once per batch and reused for every row.
///
/// Bind a statement's parameters right before running it: running any statement resets the
/// shared `BindArena` that holds bound text.
private final class Batch {
    let findFull: RawStatement
    let findLower: RawStatement
    let insertTrace: RawStatement
    let touchTrace: RawStatement
    let insertSpan: RawStatement
    let insertEvent: RawStatement
    let insertResource: RawStatement
    let findResource: RawStatement
    let insertLog: RawStatement
    let insertLogs: RawStatement
    let insertReject: RawStatement
    let saveProgress: RawStatement

    init(_ db: Database, arena: BindArena) throws {
        findFull = try RawStatement(
            db, arena: arena,
            sql: "SELECT trace_key FROM traces WHERE trace_lo = ? AND trace_hi = ? AND lower64_only = 0")
        findLower = try RawStatement(
            db, arena: arena,
            sql: "SELECT trace_key FROM traces WHERE trace_lo = ? ORDER BY lower64_only, trace_key LIMIT 1")
        insertTrace = try RawStatement(
            db, arena: arena,
            sql: """
                INSERT INTO traces(trace_hi, trace_lo, lower64_only, dirty, revision, first_seen_ns, updated_ns)
                VALUES (?1, ?2, ?3, 1, 0, ?4, ?4)
                """)
        touchTrace = try RawStatement(
            db, arena: arena,
            sql: "UPDATE traces SET dirty = 1, revision = revision + 1, updated_ns = ?1 WHERE trace_key = ?2")
        insertSpan = try RawStatement(
            db, arena: arena,
            sql: """
                INSERT OR IGNORE INTO spans(trace_key, span_id, shared, parent_span_id, service, name, kind,
                    start_ns, end_ns, status, status_message, attributes, resource_id, scope, links, flags,
                    source_id, line, byte_offset, ordinal)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        insertEvent = try RawStatement(
            db, arena: arena,
            sql: """
                INSERT INTO span_events(trace_key, span_id, shared, time_ns, name, attributes)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        insertResource = try RawStatement(
            db, arena: arena, sql: "INSERT OR IGNORE INTO resources(attributes) VALUES (?)")
        findResource = try RawStatement(
            db, arena: arena, sql: "SELECT resource_id FROM resources WHERE attributes = ?")
        insertLog = try RawStatement(db, arena: arena, sql: Self.insertLogs(rows: 1))
        insertLogs = try RawStatement(db, arena: arena, sql: Self.insertLogs(rows: IngestWriter.logsPerInsert))
        insertReject = try RawStatement(
            db, arena: arena,
            sql: """
                INSERT OR IGNORE INTO rejects(source_id, line, byte_offset, ordinal, reason, raw)
                VALUES (?, ?, ?, ?, ?, ?)
                """)
        saveProgress = try RawStatement(
            db, arena: arena,
            sql: """
                UPDATE sources SET checkpoint_offset = ?1, state = ?2, records = records + ?3,
                    rejects = rejects + ?4, completed_ns = coalesce(?5, completed_ns)
                WHERE source_id = ?6
                """)
    }
}

extension Batch {
    static func insertLogs(rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: IngestWriter.logColumns).joined(separator: ", ") + ")"
        return """
            INSERT OR IGNORE INTO logs(trace_key, span_id, time_ns, severity, severity_text, message, service,
                service_from_file, sampled, attributes, source_id, line, byte_offset, ordinal)
            VALUES \(Array(repeating: row, count: rows).joined(separator: ", "))
            """
    }
}

extension IncidentStore {
    /// The writer for this database; use one at a time, from one thread.
    package func makeWriter() -> IngestWriter {
        IngestWriter(store: self)
    }
}
