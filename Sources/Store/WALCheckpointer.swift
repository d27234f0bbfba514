import Foundation
import GRDBSQLite
import TraceJoinCore

/// Copies committed pages from the write-ahead log into the database file on a thread of its own, so the
/// writer does not wait for the disk while it does.
///
/// Why: SQLite's automatic checkpoint runs in the connection that commits. With `synchronous=NORMAL` it
/// syncs the log, copies every page written since the last checkpoint and syncs the database file, all on
/// the writer's thread; under constant load the tail writer spent about a quarter of its time blocked on
/// those syncs (docs/performance.md). A PASSIVE checkpoint from another connection copies the same pages
/// without taking the write lock, so commits go on meanwhile.
///
/// The log only starts again from its beginning once every frame is in the database file and no reader
/// needs it; a pass on this connection, always a little behind a busy writer, never sees that. So once the
/// log holds `restartFrames` frames, the pass that has just copied nearly all of them is followed by a
/// PASSIVE checkpoint on the *writer's* connection, queued between its transactions (`finishOnWriter`): it
/// copies the few frames left and syncs, and the writer's next transaction starts the log again (unless a
/// reader is still on it: then at the next try). The writer waits for that short step only; nothing ever
/// waits for a reader. Should this thread fall behind or fail, the writer's own automatic checkpoint (at a
/// higher threshold, see `IncidentStore`) still bounds the log.
package final class WALCheckpointer: @unchecked Sendable {
    /// What the checkpoints so far did; read from any thread.
    package struct Progress: Sendable, Equatable {
        /// Checkpoint passes that ran (not counting those that found another checkpoint running).
        package var passes = 0
        /// Frames in the log, and how many of them are in the database file, as of the last pass.
        package var logFrames = 0
        package var copiedFrames = 0
        /// Checkpoints on the writer's connection that left every frame copied: after each, the writer's next
        /// transaction writes from the log's start (unless a reader still uses it).
        package var restarts = 0
        /// SQLite's message for the last pass that failed (an I/O error, say); the writer's own checkpoint
        /// still runs, so nothing is lost, but the log may grow until the cause is fixed.
        package var lastFailure: String?
    }

    private let connection: OpaquePointer
    private let interval: Duration
    private let clock: any ThreadClock
    private let restartFrames: Int
    private let finishOnWriter: @Sendable () throws -> (logFrames: Int, copiedFrames: Int)
    private let lock = NSLock()
    private var progressSoFar = Progress()
    private var stopRequested = false
    /// Rung by ``stop()``: ends the sleep between passes at once.
    private let stopping = ThreadWakeup()
    private let ended = DispatchSemaphore(value: 0)

    /// Opens a connection of its own to `path` (an existing database in WAL mode) and checkpoints every
    /// `interval` of `clock` until ``stop()``; once the log holds `restartFrames` frames, runs `finishOnWriter`
    /// (a PASSIVE checkpoint on the writer's connection, between its transactions).
    init(
        path: String, interval: Duration, clock: any ThreadClock, restartFrames: Int,
        finishOnWriter: @escaping @Sendable () throws -> (logFrames: Int, copiedFrames: Int)
    ) throws {
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw StoreError(path: path, message: "cannot open the database for checkpoints: \(message)")
        }
        // Reading the journal mode below takes a shared lock, which the last connection of an earlier store of
        // this file holds exclusively for a moment while it closes (it checkpoints and removes the log): wait for
        // it rather than fail (a CI run did). PASSIVE checkpoints never call the busy handler, so they still
        // never wait.
        sqlite3_busy_timeout(handle, 10_000)
        // A connection only looks at the log once it has read the database: until then a checkpoint finds
        // "not in WAL mode" and does nothing. Reading the journal mode opens it (and checks it is WAL).
        switch Self.journalMode(handle) {
        case "wal"?: break
        case let mode?:
            sqlite3_close_v2(handle)
            throw StoreError(path: path, message: "background checkpoints need the database in WAL mode, not \(mode)")
        case nil:
            let message = String(cString: sqlite3_errmsg(handle))
            sqlite3_close_v2(handle)
            throw StoreError(path: path, message: "cannot read the journal mode for checkpoints: \(message)")
        }
        connection = handle
        self.interval = interval
        self.clock = clock
        self.restartFrames = restartFrames
        self.finishOnWriter = finishOnWriter
        DedicatedThread.start(named: "tj-checkpoint") { [self] in run() }
    }

    package var progress: Progress { lock.withLock { progressSoFar } }

    /// Ends the thread after the pass it may be in, and closes the connection. Later calls return at once.
    func stop() {
        let first = lock.withLock {
            defer { stopRequested = true }
            return !stopRequested
        }
        guard first else { return }
        stopping.ring()
        ended.wait()
    }

    private func run() {
        while !clock.sleep(for: interval, unless: stopping) {
            checkpointOnce()
        }
        sqlite3_close_v2(connection)
        ended.signal()
    }

    private static func journalMode(_ connection: OpaquePointer) -> String? {
        var statement: OpaquePointer?
        defer { sqlite3_finalize(statement) }
        guard sqlite3_prepare_v2(connection, "PRAGMA journal_mode", -1, &statement, nil) == SQLITE_OK,
            sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0)
        else { return nil }
        return String(cString: text)
    }

    private func checkpointOnce() {
        var logFrames: Int32 = 0
        var copied: Int32 = 0
        let status = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &logFrames, &copied)
        // SQLITE_BUSY: another connection is checkpointing right now (the writer's own); try again next time.
        guard status != SQLITE_BUSY else { return }
        var outcome = (logFrames: Int(logFrames), copiedFrames: Int(copied))
        var failure = status == SQLITE_OK ? nil : String(cString: sqlite3_errmsg(connection))
        var restarted = false
        if failure == nil, outcome.logFrames >= restartFrames {
            do {
                outcome = try finishOnWriter()
                restarted = outcome.copiedFrames == outcome.logFrames
            } catch {
                failure = "\(error)"
            }
        }
        lock.withLock {
            if let failure { progressSoFar.lastFailure = failure }
            progressSoFar.passes += 1
            progressSoFar.logFrames = outcome.logFrames
            progressSoFar.copiedFrames = outcome.copiedFrames
            if restarted { progressSoFar.restarts += 1 }
        }
    }
}
