/// Migration `v7-log-rows`: `logs` becomes a rowid table written in trace order (issue #16).
///
/// `batch` writes a night's logs grouped by trace (``IngestWriter`` gets them from an external sort), with trace
/// keys handed out in that order. Keyed by origin (`source_id, byte_offset, ordinal`), as before, every such row
/// landed at a random place in a table of full rows far larger than the page cache: the writer took 3.4 times
/// as long as in file order (docs/grouped-store.md). As a rowid table, rows and `logs_by_trace` both grow at
/// their ends. A trace's logs lie together, so the summary pass and `show` read them as a few pages instead of
/// one page a row.
///
/// The origin stays unique only for rows that may be read again: those `tail` and `serve` write, and a file's
/// rows at or after its checkpoint (`batch_run` NULL). A unique index over every row cost as much as it saved:
/// in trace order its entries go in at random, and each commit rewrote most of its pages (14 GB written for the
/// 1 GB night instead of 5). The rows a grouped `batch` writes before its files' checkpoints carry its run
/// instead; a run killed before it committed them has them deleted by the next `batch`
/// (``IncidentStore/undoUnfinishedBatches()``), which then reads those files again.
///
/// `log_id` is AUTOINCREMENT: ids are never reused, so the rows a run wrote are the ones with its `batch_run` from
/// the first id it could have had on (a plain rowid takes the largest id + 1 again once the rows at the end are
/// deleted, as reading a file again from its checkpoint does).
///
/// The rows are copied in trace order, so an older database is upgraded, not refused.
extension StoreSchema {
    static let logRowsMigration = "v7-log-rows"

    static let logRows: [String] = [
        """
        CREATE TABLE log_rows (
            log_id INTEGER PRIMARY KEY AUTOINCREMENT,
            trace_key INTEGER,
            span_id INTEGER,
            time_ns INTEGER,
            severity INTEGER NOT NULL,
            severity_text TEXT NOT NULL,
            message TEXT NOT NULL,
            service TEXT NOT NULL,
            service_from_file INTEGER NOT NULL,
            sampled INTEGER,
            attributes TEXT,
            source_id INTEGER NOT NULL,
            line INTEGER NOT NULL,
            byte_offset INTEGER NOT NULL,
            ordinal INTEGER NOT NULL,
            batch_run INTEGER
        )
        """,
        """
        INSERT INTO log_rows(trace_key, span_id, time_ns, severity, severity_text, message, service,
            service_from_file, sampled, attributes, source_id, line, byte_offset, ordinal)
        SELECT trace_key, span_id, time_ns, severity, severity_text, message, service,
            service_from_file, sampled, attributes, source_id, line, byte_offset, ordinal
        FROM logs ORDER BY trace_key IS NULL, trace_key, source_id, byte_offset, ordinal
        """,
        "DROP TABLE logs",
        "ALTER TABLE log_rows RENAME TO logs",
        "CREATE UNIQUE INDEX logs_by_origin ON logs(source_id, byte_offset, ordinal) WHERE batch_run IS NULL",
        "CREATE INDEX logs_by_trace ON logs(trace_key, time_ns, severity, service) WHERE trace_key IS NOT NULL",
        "CREATE INDEX logs_uncorrelated ON logs(service, time_ns) WHERE trace_key IS NULL",
        "CREATE INDEX logs_uncorrelated_by_time ON logs(time_ns) WHERE trace_key IS NULL",
        // Set while a batch has grouped rows not yet committed with their files' checkpoints: the first log it
        // may have written, and the process (`ProcessIdentity`) that runs it.
        "ALTER TABLE runs ADD COLUMN undo_from_log_id INTEGER",
        "ALTER TABLE runs ADD COLUMN owner TEXT",
    ]
}
