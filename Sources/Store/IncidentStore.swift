import Foundation
import GRDB
package import TraceJoinCore

/// The SQLite database of one tracejoin installation: spans, events, logs, per-trace summaries,
/// ingested sources, rejects and runs.
///
/// One `DatabasePool` per file (WAL: readers never wait for the writer, so `show` works while `tail`
/// writes). Writes go through one `IngestWriter` at a time, a batch per transaction. Every
/// connection runs with `secure_delete=ON`, so data removed by scrubbing or merging is overwritten
/// rather than left in free pages. See `docs/schema.md` for the tables.
package final class IncidentStore: Sendable {
    package let path: String
    let pool: DatabasePool
    let state = StoreState()
    /// Set for stores that write for long (batch, tail, serve): see ``WALCheckpointer``.
    let checkpointer: WALCheckpointer?

    /// Opens the database at `path` for writing, creating and migrating it if needed.
    ///
    /// `backgroundCheckpoints`: copy the write-ahead log into the database file on a thread of its own
    /// (every `checkpointInterval` of `checkpointClock`) instead of making the writer wait for it; for the
    /// long-running writers.
    ///
    /// Fails with a `StoreError` naming the file when it is not a tracejoin database, was written by
    /// a newer tracejoin, or cannot be opened for writing; such a file is refused before anything is written
    /// to it (not even switched to WAL mode).
    package convenience init(
        path: String, backgroundCheckpoints: Bool = false, checkpointInterval: Duration = .milliseconds(250),
        checkpointClock: any ThreadClock = SystemThreadClock()
    ) throws {
        // Creating and migrating a new file is several steps, and GRDB reads which migrations are applied outside
        // the transaction that applies one: two processes opening one new file at once (`tail` starting while
        // `show` opens it) failed with "database is locked", "not a tracejoin database" or "table … already
        // exists". One opener at a time per folder (an advisory lock, held for milliseconds).
        let opening = OpeningLock(folderOf: path)
        defer { opening.release() }
        _ = try StoreFileInspector.inspect(path: path, purpose: .writing)
        let pool: DatabasePool
        do {
            // With background checkpoints the writer's own is only the fallback: see `WALCheckpointer`.
            let autocheckpointPages = backgroundCheckpoints ? Self.checkpointPages * 4 : Self.checkpointPages
            pool = try DatabasePool(
                path: path, configuration: Self.configuration(autocheckpointPages: autocheckpointPages))
            try StoreSchema.migrator.migrate(pool)
            try Self.ensureTraceSearchIndexes(pool)
        } catch let error as DatabaseError {
            throw Self.describe(error, path: path, purpose: .writing)
        }
        let checkpointer =
            backgroundCheckpoints
            ? try WALCheckpointer(
                path: path, interval: checkpointInterval, clock: checkpointClock,
                restartFrames: Int(Self.checkpointPages)
            ) { [pool] in
                let frames = try pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
                return (frames.walFrameCount, frames.checkpointedFrameCount)
            } : nil
        self.init(path: path, pool: pool, checkpointer: checkpointer)
    }

    private init(path: String, pool: DatabasePool, checkpointer: WALCheckpointer?) {
        self.path = path
        self.pool = pool
        self.checkpointer = checkpointer
    }

    deinit {
        checkpointer?.stop()
    }

    /// What the background checkpoints did so far; nil when the store does not run them.
    package var backgroundCheckpointProgress: WALCheckpointer.Progress? { checkpointer?.progress }

    /// Opens a database that must already exist, read-only, for queries: `show`, `incidents`, `logs`, `rejects`
    /// and `report` on a file the user may only read (another user's nightly database).
    ///
    /// Never creates, migrates or writes: a missing or empty file, another program's database, and one that
    /// this tracejoin would first have to migrate are each a `StoreError`. In a folder where SQLite may not
    /// create the `-shm` file of a WAL database, it is read with `immutable=1` (see `StoreFileInspector`).
    package static func openExisting(path: String) throws -> IncidentStore {
        let opening = OpeningLock(folderOf: path)
        defer { opening.release() }
        let (content, access) = try StoreFileInspector.inspect(path: path, purpose: .reading)
        switch content {
        case .missing:
            throw StoreError(
                path: path, message: "no database at \(path): run `tracejoin batch` first",
                hint: "pass --db with the file `batch` wrote")
        case .empty:
            throw StoreError(
                path: path, message: "the database is empty: nothing was stored in it yet",
                hint: "pass --db with the file `batch` wrote")
        case .tracejoin(current: false):
            throw StoreError(
                path: path, message: "the database was written by an older tracejoin",
                hint: "run `tracejoin batch --db \(path)` once (it upgrades the file); queries only read")
        case .tracejoin(current: true):
            do {
                var configuration = Self.configuration(autocheckpointPages: Self.checkpointPages)
                configuration.readonly = true
                let pool = try DatabasePool(
                    path: StoreFileInspector.connectionPath(path, access: access), configuration: configuration)
                return IncidentStore(path: path, pool: pool, checkpointer: nil)
            } catch let error as DatabaseError {
                throw Self.describe(error, path: path, purpose: .reading)
            }
        }
    }

    /// Checkpoint every 2,000 pages (32 MiB) instead of SQLite's 1,000, and cut the log back after.
    static let checkpointPages: Int32 = 2_000

    private static func configuration(autocheckpointPages: Int32) -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if !db.configuration.readonly {  // the pool's writer; its readers are read-only
                // Only takes effect on a new file (before WAL is set up). 16 KiB pages made
                // batched appends ~25% faster than 4 KiB in sqlite3-shell measurements here.
                try db.execute(sql: "PRAGMA page_size = 16384")
                // A bigger page cache keeps the tail of every index in memory while a batch appends.
                try db.execute(sql: "PRAGMA cache_size = -32768")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(autocheckpointPages)")
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            }
        }
        return configuration
    }

    /// A user-facing error for an SQLite failure at open time; SQLite messages name no stored values.
    static func describe(_ error: DatabaseError, path: String, purpose: StoreFileInspector.Purpose) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB:
            StoreError(
                path: path, message: "not a tracejoin database (not an SQLite file)",
                hint: "pass --db with a new file name or a database tracejoin created")
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_IOERR:
            switch purpose {
            case .writing:
                StoreError(
                    path: path,
                    message: "cannot open the database for writing: \(error.message ?? "\(error.resultCode)")",
                    hint: "check that the directory exists and is writable")
            case .reading:
                StoreError(
                    path: path, message: "cannot read the database: \(error.message ?? "\(error.resultCode)")",
                    hint: "check that the file is readable")
            }
        case .SQLITE_CORRUPT:
            StoreError(path: path, message: "the database file is damaged")
        default:
            StoreError(path: path, message: "database error: \(error.message ?? "\(error.resultCode)")")
        }
    }

    /// Nanoseconds since the Unix epoch, for bookkeeping columns.
    static func now() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000_000_000)
    }
}

/// The little mutable state an `IncidentStore` shares between callers, behind a lock.
///
/// - `mergeEpoch` counts `mergeLower64Traces` calls that deleted provisional traces, so a live
///   `IngestWriter` knows its trace key cache may point at deleted rows.
/// - `readRevisions` remembers which revision of a trace `records(traceKey:)` read, so
///   `saveSummaries` clears `dirty` only if no rows arrived since (live tailing).
final class StoreState: @unchecked Sendable {
    private let lock = NSLock()
    private var epoch = 0
    private var revisions: [Int64: Int64] = [:]
    private let revisionLimit = 200_000

    var mergeEpoch: Int { lock.withLock { epoch } }

    func advanceMergeEpoch() { lock.withLock { epoch += 1 } }

    func rememberRevision(_ revision: Int64, of traceKey: Int64) {
        lock.withLock {
            if revisions.count >= revisionLimit { revisions.removeAll() }
            revisions[traceKey] = revision
        }
    }

    func takeRevision(of traceKey: Int64) -> Int64? {
        lock.withLock { revisions.removeValue(forKey: traceKey) }
    }
}
