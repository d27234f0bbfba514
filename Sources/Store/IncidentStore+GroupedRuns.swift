import GRDB

/// Crash safety of `batch`'s grouped rows (docs/grouped-store.md): rows written before their files' checkpoints
/// carry the run (`logs.batch_run`), and a run that ends before committing the last of them is undone.
extension IncidentStore {
    /// Marks `runID` as a batch about to write grouped rows: until ``IngestWriter/write(rows:progress:tailCheckpoints:forgettingTailFiles:endingGroupedRun:)``
    /// ends it, a later ``undoUnfinishedBatches()`` deletes them if this process is gone.
    package func beginGroupedRun(_ runID: Int64) throws {
        try pool.write { db in
            // `log_id` is AUTOINCREMENT: every id this run hands out is above the largest ever handed out.
            let next = try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) + 1 FROM sqlite_sequence WHERE name = 'logs'") ?? 1
            try db.execute(
                sql: "UPDATE runs SET undo_from_log_id = ?, owner = ? WHERE run_id = ?",
                arguments: [next, ProcessIdentity.current, runID])
        }
    }

    /// Deletes the grouped rows of every batch that ended (killed, or failed) before committing the last of them,
    /// and marks their traces for a new summary; a batch still running in another process is left alone. Its
    /// files were never marked complete, so the batch that calls this reads them again. Returns the runs undone.
    package func undoUnfinishedBatches() throws -> Int {
        try pool.write { db in
            let runs = try Row.fetchAll(
                db, sql: "SELECT run_id, undo_from_log_id, owner FROM runs WHERE undo_from_log_id IS NOT NULL")
            var undone = 0
            for run in runs {
                let runID: Int64 = run[0]
                let firstLog: Int64 = run[1]
                if let owner: String = run[2], ProcessIdentity.isAlive(owner) { continue }
                try db.execute(
                    sql: """
                        UPDATE traces SET dirty = 1, revision = revision + 1, updated_ns = ? WHERE trace_key IN (
                            SELECT trace_key FROM logs WHERE log_id >= ? AND batch_run = ? AND trace_key IS NOT NULL)
                        """,
                    arguments: [Self.now(), firstLog, runID])
                try db.execute(
                    sql: "DELETE FROM logs WHERE log_id >= ? AND batch_run = ?", arguments: [firstLog, runID])
                try db.execute(
                    sql: "UPDATE runs SET undo_from_log_id = NULL, owner = NULL WHERE run_id = ?", arguments: [runID])
                undone += 1
            }
            return undone
        }
    }
}
