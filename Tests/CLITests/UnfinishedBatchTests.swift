import Foundation
import GRDB
import Testing
import TraceJoinTesting

/// Issue #16, crash safety without an origin key: `batch` deletes the grouped rows of a batch that never
/// committed them only when that batch's process is gone, and says so; while it runs, another batch is refused.
@Suite struct UnfinishedBatchTests {
    @Test("a batch undoes the grouped rows of an unfinished run whose process is gone; beside a running one it is refused")
    func undoOnlyTheDead() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let db = folder.file("night.db")
        let first = try CommandRunner.run(["batch", "--quiet", "--db", db, FixturePaths.fixture("night")])
        #expect(first.status == 0, "\(first.standardError)")
        let queue = try DatabaseQueue(path: db)
        // A run that wrote every tenth log and has not committed its last group, owned by this test's process.
        let marked = try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs(run_id, started_ns, command, inputs, rules_digest, undo_from_log_id, owner)
                    VALUES (999, 0, 'batch', '[]', 'x', 1, ?)
                    """,
                arguments: [Self.identity(of: getpid())])
            try db.execute(sql: "UPDATE logs SET batch_run = 999 WHERE log_id % 10 = 0")
            return db.changesCount
        }
        #expect(marked > 10)
        let logs = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM logs") ?? 0 }

        // A batch meanwhile is refused (the other would store rows twice), and leaves the running one's rows alone.
        let whileAlive = try CommandRunner.run(["batch", "--quiet", "--db", db, FixturePaths.fixture("night")])
        #expect(whileAlive.status == 1)
        #expect(
            whileAlive.standardError.contains("another batch is writing this database (process \(getpid()))"),
            "\(whileAlive.standardError)")
        let kept = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM logs WHERE batch_run = 999") ?? 0
        }
        #expect(kept == marked, "the rows of a run whose process still runs are left alone")

        // The same run, its process gone (another boot): its rows go, and the traces they were in are summarised
        // again without them.
        try queue.write { db in try db.execute(sql: "UPDATE runs SET owner = 'another-boot 1 1' WHERE run_id = 999") }
        let afterDeath = try CommandRunner.run(["batch", "--db", db, FixturePaths.fixture("night")])
        #expect(afterDeath.status == 0, "\(afterDeath.standardError)")
        #expect(
            afterDeath.standardError.contains(
                "warning: batch run 999 ended before it stored all its rows: its \(marked) grouped logs were removed"),
            "\(afterDeath.standardError)")
        try queue.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM logs") == logs - marked)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM logs WHERE batch_run = 999") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT undo_from_log_id FROM runs WHERE run_id = 999") == nil)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM traces WHERE dirty = 1") == 0)
            let counted = try Int.fetchOne(
                db, sql: "SELECT coalesce(sum(log_count), 0) FROM traces WHERE lower64_only = 0") ?? 0
            let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM logs WHERE trace_key IS NOT NULL") ?? 0
            #expect(counted == stored, "trace summaries count the logs left")
        }
    }

    /// How tracejoin names a running process: boot ID, process ID, start time (`/proc/PID/stat` field 22).
    static func identity(of pid: Int32) throws -> String {
        let boot = try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        let fields = stat[stat.index(after: try #require(stat.lastIndex(of: ")")))...].split(separator: " ")
        return "\(boot) \(pid) \(fields[19])"
    }
}
