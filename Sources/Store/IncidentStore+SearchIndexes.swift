import GRDB

/// The indexes over `traces` that only searches read: `incidents`, `incidents --group` and the read side's
/// trace search. Writing never looks anything up through them.
///
/// A trace's summary lands in them at a random place (status, then start time; a problem's fingerprint), so a
/// batch that creates many traces rewrites most of their pages at every commit: on the 1 GB night, with
/// 264,000 new traces over ~380 commits, they made 1.3 of the 4.6 GB the batch wrote, and 2–3 s of the writer
/// thread's CPU. Built once after the traces are written, they cost 0.4 s (docs/performance.md). So `batch`
/// drops them before it writes its grouped rows and builds them again after its summaries, when it writes at
/// least as many rows as there are traces stored already (building them again reads every trace).
///
/// A batch killed in between leaves them missing; the next process to open the file for writing builds them
/// (``IncidentStore/ensureTraceSearchIndexes(_:)``), unless a batch is still writing. Readers in between get the
/// same answers, from a scan of `traces`.
enum TraceSearchIndexes {
    /// Name and definition, as the migrations that first made them (v1, v2) wrote them.
    static let all: [(name: String, sql: String)] = [
        ("traces_by_status", "CREATE INDEX traces_by_status ON traces(status, start_ns)"),
        (
            "traces_by_fingerprint",
            "CREATE INDEX traces_by_fingerprint ON traces(fingerprint) WHERE fingerprint IS NOT NULL"
        ),
    ]

    /// Builds the indexes that are missing; a no-op (one read of the schema) when none is.
    static func ensure(_ db: Database) throws {
        for index in try missing(db) { try db.execute(sql: index.sql) }
    }

    /// Those of ``all`` the file does not have.
    static func missing(_ db: Database) throws -> [(name: String, sql: String)] {
        let present = try Set(
            String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'traces'"))
        return all.filter { !present.contains($0.name) }
    }
}

extension IncidentStore {
    /// Drops the search indexes when writing `rows` more rows costs more with them than building them again
    /// after (see ``TraceSearchIndexes``); returns whether it did. ``restoreTraceSearchIndexes()`` builds them.
    package func suspendTraceSearchIndexes(beforeWriting rows: Int) throws -> Bool {
        try pool.write { db in
            // The largest key ever handed out: an upper bound of the traces stored, read from the rowid's end.
            let stored = try Int.fetchOne(db, sql: "SELECT coalesce(max(trace_key), 0) FROM traces") ?? 0
            guard rows > 0, rows >= stored else { return false }
            for index in TraceSearchIndexes.all {
                try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)")
            }
            return true
        }
    }

    /// Builds the search indexes ``suspendTraceSearchIndexes(beforeWriting:)`` dropped.
    package func restoreTraceSearchIndexes() throws {
        try pool.write { db in try TraceSearchIndexes.ensure(db) }
    }

    /// At open for writing: builds the search indexes a killed batch left dropped. Only reads when none is missing,
    /// so opening never waits for another process's write lock for nothing; leaves them to a batch that is still
    /// writing (it dropped them, and builds them when it ends).
    static func ensureTraceSearchIndexes(_ pool: DatabasePool) throws {
        guard try !pool.read(TraceSearchIndexes.missing).isEmpty else { return }
        try pool.write { db in
            if try liveGroupedRunOwner(db) != nil { return }
            try TraceSearchIndexes.ensure(db)
        }
    }
}
