import GRDB
package import TraceJoinCore

/// The summary pass: merge Datadog-only traces, read dirty traces back, save their summaries.
extension IncidentStore {
    /// Folds provisional traces (logs that carried only the lower 64 bits of a trace ID) into the full
    /// trace with the same lower bits, once one exists. Returns how many were merged.
    ///
    /// Every provisional trace with a full partner is merged, whether or not either is dirty: a summary saved
    /// before the merge (by `batch`'s background summaries, which do not merge) must not keep them apart. The
    /// full trace is marked dirty, to be summarised with its new logs. When several full traces share the lower
    /// bits, the first one stored wins.
    /// The search starts from the provisional traces (`traces_provisional`, few), not from the dirty ones
    /// (every open trace of a live run): it runs inside a write transaction, every second in `serve`/`tail`.
    @discardableResult
    package func mergeLower64Traces() throws -> Int {
        let merged = try pool.write { db -> Int in
            let pairs = try Row.fetchAll(
                db,
                sql: """
                    SELECT provisional, full FROM (
                        SELECT p.trace_key AS provisional,
                            (SELECT min(f.trace_key) FROM traces f WHERE f.trace_lo = p.trace_lo AND f.lower64_only = 0)
                                AS full
                        FROM traces p
                        WHERE p.lower64_only = 1 AND p.trace_hi = 0
                    )
                    WHERE full IS NOT NULL
                    """)
            var done = Set<Int64>()
            let now = Self.now()
            for pair in pairs {
                let provisional: Int64 = pair[0]
                let full: Int64 = pair[1]
                guard done.insert(provisional).inserted else { continue }
                try db.execute(
                    sql: "UPDATE logs SET trace_key = ? WHERE trace_key = ?", arguments: [full, provisional])
                try db.execute(sql: "DELETE FROM traces WHERE trace_key = ?", arguments: [provisional])
                try db.execute(
                    sql: "UPDATE traces SET dirty = 1, revision = revision + 1, updated_ns = ? WHERE trace_key = ?",
                    arguments: [now, full])
            }
            // Inside the transaction, so no writer can start a batch between the commit and the bump.
            if !done.isEmpty { state.advanceMergeEpoch() }
            return done.count
        }
        return merged
    }

    /// Traces whose rows changed since their summary was saved, oldest first.
    package func dirtyTraceKeys(limit: Int) throws -> [Int64] {
        try pool.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT trace_key FROM traces WHERE dirty = 1 ORDER BY trace_key LIMIT ?", arguments: [limit])
        }
    }

    /// Dirty traces whose last change (`updated_ns`, wall clock) is at or before `cutoff`, oldest key first.
    ///
    /// What a live run summarises: a trace still receiving rows is left alone until it has been idle for a
    /// while, so it is not classified half-way (docs/streaming.md, "The idle window").
    package func dirtyTraceKeys(updatedAtOrBefore cutoff: Int64, limit: Int) throws -> [Int64] {
        try pool.read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT trace_key FROM traces INDEXED BY traces_dirty_by_update
                    WHERE dirty = 1 AND updated_ns <= ? ORDER BY trace_key LIMIT ?
                    """,
                arguments: [cutoff, limit])
        }
    }

    /// How many traces are dirty: the "open" traces of a live run, whose summary is missing or stale.
    package func dirtyTraceCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM traces WHERE dirty = 1") ?? 0 }
    }

    /// Everything stored for one trace: spans with their events and links, and its logs.
    ///
    /// Read in one snapshot. Origins are rebuilt from `sources.path`. A provisional (Datadog-only)
    /// trace has an ID whose upper half is zero and its logs reference `.lower64`.
    package func records(traceKey: Int64) throws -> (traceID: TraceID, spans: [SpanRecord], logs: [LogRecord]) {
        guard let trace = try records(traceKeys: [traceKey]).first else {
            throw StoreError(path: path, message: "no trace with key \(traceKey)")
        }
        return (trace.traceID, trace.spans, trace.logs)
    }

    /// Saves summaries and clears `dirty`, in one transaction.
    ///
    /// A trace that gained rows after `records(traceKey:)` read it stays dirty, so the next pass
    /// sees the late data.
    /// `classifications` (by trace key) are saved in the same transaction; a trace without one has its
    /// rule, entry and fingerprint cleared (its `error_class` comes from the summary). A trace none of whose
    /// records has a time (start and end 0) is saved with NULL `start_ns` and `end_ns`.
    package func saveSummaries(
        _ summaries: [(traceKey: Int64, summary: TraceSummary)], classifications: [Int64: TraceClassification] = [:]
    ) throws {
        let revisions = summaries.map { state.takeRevision(of: $0.traceKey) }
        try pool.write { db in
            // One statement per trace, bound through the C API: this runs for every trace of a night.
            let statement = try RawStatement(
                db, arena: BindArena(),
                sql: """
                    UPDATE traces SET \(SummaryColumns.names.enumerated().map { "\($1) = ?\($0 + 3)" }.joined(separator: ", ")),
                        dirty = CASE WHEN ?1 IS NULL OR revision = ?1 THEN 0 ELSE 1 END
                    WHERE trace_key = ?2
                    """)
            for ((traceKey, summary), revision) in zip(summaries, revisions) {
                statement.bind(1, revision)
                statement.bind(2, traceKey)
                SummaryColumns.bind(summary, classifications[traceKey], to: statement, from: 2)
                try statement.run()
            }
        }
    }

    // MARK: - Reading helpers

    static let logColumns = """
        span_id, time_ns, severity, severity_text, message, service, service_from_file, sampled, attributes,
        source_id, line, byte_offset, ordinal
        """

    /// A log from a row of `logColumns`, which start at column `offset`.
    static func log(_ row: Row, trace: TraceReference?, db: Database, paths: inout SourcePaths, offset i: Int = 0)
        throws -> LogRecord
    {
        LogRecord(
            time: row[i + 1], severity: LogSeverity(rawValue: row[i + 2]) ?? .unspecified, severityText: row[i + 3],
            message: row[i + 4], service: row[i + 5], serviceFromFileName: row[i + 6], trace: trace,
            spanID: (row[i] as Int64?).map { SpanID(UInt64(bitPattern: $0)) }, sampled: row[i + 7],
            attributes: AttributeJSON.decode(row[i + 8]),
            origin: try paths.location(
                db, sourceID: row[i + 9], line: row[i + 10], byteOffset: row[i + 11], ordinal: row[i + 12]))
    }
}

/// Every source's path, read at once (``IncidentStore/sourcePaths()``).
package struct SourcePathTable: Sendable {
    let paths: [Int64: String]

    /// The path a record read back from `sourceID` names (as ``SourcePaths`` reads it).
    package func path(of sourceID: Int64) -> String { paths[sourceID] ?? Self.unknown(sourceID) }

    /// What a record names when its source row is gone.
    static func unknown(_ sourceID: Int64) -> String { "source \(sourceID)" }
}

/// `source_id` → path, looked up once per source while reading.
struct SourcePaths {
    private var paths: [Int64: String] = [:]

    mutating func location(_ db: Database, sourceID: Int64, line: Int, byteOffset: Int64, ordinal: Int) throws
        -> InputLocation
    {
        let path: String
        if let known = paths[sourceID] {
            path = known
        } else {
            path =
                try String.fetchOne(db, sql: "SELECT path FROM sources WHERE source_id = ?", arguments: [sourceID])
                ?? SourcePathTable.unknown(sourceID)
            paths[sourceID] = path
        }
        return InputLocation(source: path, line: line, byteOffset: byteOffset, ordinal: ordinal)
    }
}
