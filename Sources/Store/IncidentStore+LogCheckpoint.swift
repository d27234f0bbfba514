import GRDB

extension IncidentStore {
    /// Copies every page the write-ahead log holds into the database file and empties the log, so that the file
    /// alone holds everything committed: a user who copies only `incidents.db` (a backup, `scp` to a laptop) gets
    /// all of it. ``finishRun(_:statsJSON:)`` calls it; the log and its `-shm` may still be there, empty.
    ///
    /// When a reader in another process keeps it from finishing (SQLite waits the busy timeout for it first), the
    /// rest stays in the log, where SQLite reads it, as before.
    ///
    /// Stops the background checkpoints first: a checkpoint running on another connection makes this one fail at
    /// once, without waiting (SQLite's rule for the checkpoint lock), which a CI run met.
    package func checkpointWholeLog() throws {
        checkpointer?.stop()
        do {
            try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            // A reader kept part of the log: it stays there.
        }
    }
}
