import GRDB
import TraceJoinCore

/// Crash safety of `batch`'s grouped rows (docs/grouped-store.md): rows written before their files' checkpoints
/// carry the run (`logs.batch_run`), and a run that ends before committing the last of them is undone.
extension IncidentStore {
    /// Marks `runID` as a batch about to write grouped rows: until ``IngestWriter/write(rows:progress:tailCheckpoints:forgettingTailFiles:endingGroupedRun:)``
    /// ends it, a later ``undoUnfinishedBatches()`` deletes them if this process is gone.
    ///
    /// Refused while another batch writes grouped rows into this database: its rows are not unique by origin, so
    /// two batches reading the same files at once would both store them.
    package func beginGroupedRun(_ runID: Int64) throws {
        try pool.writeWithoutTransaction { db in
            // IMMEDIATE: the check and the claim are one step for every process that opens the file.
            try db.inTransaction(.immediate) {
                if let running = try Self.liveGroupedRunOwner(db, other: runID) {
                    throw StoreError(
                        path: path,
                        message: "another batch is writing this database (process \(ProcessIdentity.processID(of: running)))",
                        hint: "run this one once it has finished")
                }
                // `log_id` is AUTOINCREMENT: every id this run hands out is above the largest ever handed out.
                let next =
                    try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) + 1 FROM sqlite_sequence WHERE name = 'logs'")
                    ?? 1
                try db.execute(
                    sql: "UPDATE runs SET undo_from_log_id = ?, owner = ? WHERE run_id = ?",
                    arguments: [next, ProcessIdentity.current, runID])
                return .commit
            }
        }
    }

    /// Deletes the grouped rows of every batch that ended (killed, or failed) before committing the last of them,
    /// deletes the traces left empty and marks the others for a new summary; a batch still running in another
    /// process is left alone. Its files were never marked complete, so a batch given them reads them again.
    /// Returns the runs undone.
    package func undoUnfinishedBatches() throws -> [UndoneBatch] {
        try pool.write { db in
            let runs = try Row.fetchAll(
                db,
                sql: """
                    SELECT run_id, undo_from_log_id, owner, started_ns, inputs FROM runs
                    WHERE undo_from_log_id IS NOT NULL
                    """)
            var undone: [UndoneBatch] = []
            for run in runs {
                let runID: Int64 = run[0]
                let firstLog: Int64 = run[1]
                if let owner: String = run[2], ProcessIdentity.isAlive(owner) { continue }
                try db.execute(sql: "CREATE TEMP TABLE undone_traces(trace_key INTEGER PRIMARY KEY)")
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO undone_traces
                        SELECT trace_key FROM logs WHERE log_id >= ? AND batch_run = ? AND trace_key IS NOT NULL
                        """,
                    arguments: [firstLog, runID])
                try db.execute(
                    sql: "DELETE FROM logs WHERE log_id >= ? AND batch_run = ?", arguments: [firstLog, runID])
                let logs = db.changesCount
                // Traces the run created and left with nothing in them go; the others are summarised again.
                try db.execute(
                    sql: """
                        DELETE FROM traces WHERE trace_key IN (SELECT trace_key FROM undone_traces)
                            AND NOT EXISTS (SELECT 1 FROM logs l WHERE l.trace_key = traces.trace_key)
                            AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.trace_key = traces.trace_key)
                        """)
                try db.execute(
                    sql: """
                        UPDATE traces SET dirty = 1, revision = revision + 1, updated_ns = ?
                        WHERE trace_key IN (SELECT trace_key FROM undone_traces)
                        """,
                    arguments: [Self.now()])
                try db.execute(sql: "DROP TABLE undone_traces")
                try Self.endGroupedRun(runID, db)
                let inputs = (try? JSONParser.parse(run[4] as String))?.array?.compactMap(\.string) ?? []
                undone.append(UndoneBatch(runID: runID, startedNanos: run[3], logsRemoved: logs, inputs: inputs))
            }
            return undone
        }
    }
}

extension IncidentStore {
    /// The owner of a batch that is writing its grouped rows in a process still alive (other than run `other`).
    static func liveGroupedRunOwner(_ db: Database, other: Int64 = 0) throws -> String? {
        let owners = try String.fetchAll(
            db, sql: "SELECT owner FROM runs WHERE undo_from_log_id IS NOT NULL AND run_id != ? AND owner IS NOT NULL",
            arguments: [other])
        return owners.first(where: ProcessIdentity.isAlive)
    }

    /// Clears the marks ``beginGroupedRun(_:)`` set: the run's grouped rows are committed (or undone), and another
    /// batch may write.
    static func endGroupedRun(_ runID: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE runs SET undo_from_log_id = NULL, owner = NULL WHERE run_id = ?", arguments: [runID])
    }
}

/// A batch that ended before it stored all its rows, as ``IncidentStore/undoUnfinishedBatches()`` found it.
package struct UndoneBatch: Sendable, Equatable {
    package var runID: Int64
    package var startedNanos: Int64
    /// Its grouped logs, deleted.
    package var logsRemoved: Int
    /// What it was given to read (its files are partial until a batch reads them again).
    package var inputs: [String]
}
