import GRDB

/// The writer's statements, prepared once per batch and reused for every row.
///
/// Bind a statement's parameters right before running it: running any statement resets the
/// shared `BindArena` that holds bound text.
final class IngestStatements {
    /// Logs per multi-row insert: one statement per group saves SQLite's per-statement work
    /// (opening a cursor per index, starting and halting the program) for all but one row.
    static let logsPerInsert = 32
    static let logColumns = 15
    /// Spans per multi-row insert (20 columns each).
    static let spansPerInsert = 16
    static let spanColumns = 20

    let findFull: RawStatement
    let findLower: RawStatement
    let insertTrace: RawStatement
    let insertSummarisedTrace: RawStatement
    let findProvisional: RawStatement
    let findStoredLow: RawStatement
    let touchTrace: RawStatement
    let bumpDirtyTrace: RawStatement
    let insertSpan: RawStatement
    let insertSpans: RawStatement
    let maxSpanRowID: RawStatement
    let findSpanRowID: RawStatement
    let insertEvent: RawStatement
    let insertResource: RawStatement
    let findResource: RawStatement
    let insertLog: RawStatement
    let insertLogs: RawStatement
    let insertReject: RawStatement
    let saveProgress: RawStatement

    init(_ db: Database, arena: BindArena) throws {
        func prepare(_ sql: String) throws -> RawStatement { try RawStatement(db, arena: arena, sql: sql) }
        findFull = try prepare("SELECT trace_key FROM traces WHERE trace_lo = ? AND trace_hi = ? AND lower64_only = 0")
        findLower = try prepare(
            "SELECT trace_key FROM traces WHERE trace_lo = ? ORDER BY lower64_only, trace_key LIMIT 1")
        insertTrace = try prepare(
            """
            INSERT INTO traces(trace_hi, trace_lo, lower64_only, dirty, revision, first_seen_ns, updated_ns)
            VALUES (?1, ?2, ?3, 1, 1, ?4, ?4)
            """)
        // A trace with only plain logs, summarised from its group as it is written (``RowBatch/summaries``): the
        // columns `saveSummaries` would set for it, and not dirty.
        insertSummarisedTrace = try prepare(
            """
            INSERT INTO traces(trace_hi, trace_lo, lower64_only, dirty, revision, first_seen_ns, updated_ns,
                \(SummaryColumns.names.joined(separator: ", ")))
            VALUES (?1, ?2, 0, 0, 1, ?3, ?3, \((4..<4 + SummaryColumns.names.count).map { "?\($0)" }.joined(separator: ", ")))
            """)
        findProvisional = try prepare("SELECT 1 FROM traces WHERE trace_lo = ? AND lower64_only = 1 LIMIT 1")
        findStoredLow = try prepare(
            "SELECT trace_lo FROM traces WHERE trace_lo >= ?1 AND trace_lo <= ?2 ORDER BY trace_lo LIMIT 1")
        touchTrace = try prepare(
            "UPDATE traces SET dirty = 1, revision = revision + 1, updated_ns = ?1 WHERE trace_key = ?2")
        // Sets no indexed column (`dirty` and `updated_ns` are in partial indexes), so it rewrites the row only.
        bumpDirtyTrace = try prepare("UPDATE traces SET revision = revision + 1 WHERE trace_key = ?1 AND dirty = 1")
        insertSpan = try prepare(Self.insertSpans(rows: 1))
        insertSpans = try prepare(Self.insertSpans(rows: Self.spansPerInsert))
        maxSpanRowID = try prepare("SELECT coalesce(max(rowid), 0) FROM spans")
        findSpanRowID = try prepare("SELECT rowid FROM spans WHERE trace_key = ? AND span_id = ? AND shared = ?")
        insertEvent = try prepare(
            """
            INSERT INTO span_events(trace_key, span_id, shared, time_ns, name, attributes)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        insertResource = try prepare("INSERT OR IGNORE INTO resources(attributes) VALUES (?)")
        findResource = try prepare("SELECT resource_id FROM resources WHERE attributes = ?")
        insertLog = try prepare(Self.insertLogs(rows: 1))
        insertLogs = try prepare(Self.insertLogs(rows: Self.logsPerInsert))
        insertReject = try prepare(
            """
            INSERT OR IGNORE INTO rejects(source_id, line, byte_offset, ordinal, reason, raw)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        saveProgress = try prepare(
            """
            UPDATE sources SET checkpoint_offset = ?1, state = ?2, records = records + ?3,
                rejects = rejects + ?4, completed_ns = coalesce(?5, completed_ns),
                checkpoint_line = coalesce(?7, checkpoint_line)
            WHERE source_id = ?6
            """)
    }

    private static func values(columns: Int, rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }

    static func insertLogs(rows: Int) -> String {
        """
        INSERT OR IGNORE INTO logs(trace_key, span_id, time_ns, severity, severity_text, message, service,
            service_from_file, sampled, attributes, source_id, line, byte_offset, ordinal, batch_run)
        VALUES \(values(columns: logColumns, rows: rows))
        """
    }

    static func insertSpans(rows: Int) -> String {
        """
        INSERT OR IGNORE INTO spans(trace_key, span_id, shared, parent_span_id, service, name, kind,
            start_ns, end_ns, status, status_message, attributes, resource_id, scope, links, flags,
            source_id, line, byte_offset, ordinal)
        VALUES \(values(columns: spanColumns, rows: rows))
        """
    }
}
