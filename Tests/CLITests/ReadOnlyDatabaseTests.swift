import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Queries on a nightly database shared with on-call engineers, who may only read it (issue #14): the
/// database is written by root and queried as `nobody`, with and without a writer (`tail`) holding its
/// write-ahead log open.
@Suite(.enabled(if: Nobody.isAvailable, "needs root, setpriv and sqlite3 to run the binary as nobody"))
struct ReadOnlyDatabaseTests {
    static let asNobody = [Nobody.setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"

    enum Permissions: String, CaseIterable, CustomTestStringConvertible {
        /// Another user's 644 file in a 755 folder only its owner may write.
        case ownersFolder
        /// A 444 file in a 555 folder.
        case readOnlyFolder

        var testDescription: String { rawValue }
    }

    @Test(
        "show, incidents, logs, rejects and report as nobody return the stored rows (no writer running)",
        arguments: Permissions.allCases)
    func queriesWithoutWriter(_ permissions: Permissions) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try Self.makeNight(in: folder, permissions: permissions)
        // Batch may leave its -wal and -shm (a connection still open at exit): close the file as its last
        // connection would, so neither exists and SQLite could not create them for nobody.
        try Self.closeCleanly(database)
        #expect(!FileManager.default.fileExists(atPath: database + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: database + "-shm"))
        try Self.expectQueriesWork(database, in: folder)
        try Self.expectNothingWritten(by: "nobody", in: folder.file("shared"))
    }

    @Test(
        "queries as nobody also read what a running tail holds in the write-ahead log",
        arguments: Permissions.allCases)
    func queriesBesideTail(_ permissions: Permissions) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try Self.makeNight(in: folder, permissions: permissions)
        let live = folder.file("live.log")
        let tail = try BackgroundCommand.start(
            ["tail", "--db", database, "--poll-interval", "20", live], in: folder, output: "tail.out")
        defer { tail.terminateIfRunning() }
        try "{\"time\":\"2026-11-23T10:05:00Z\",\"level\":\"info\",\"msg\":\"tailed line\"}\n"
            .write(toFile: live, atomically: false, encoding: .utf8)
        let stored = BackgroundCommand.waitUntil(seconds: 30) {
            (try? CommandRunner.run(["logs", "--db", database]).standardOutput.contains("tailed line")) ?? false
        }
        #expect(stored, "tail did not store the line: \(tail.output())")
        #expect(FileManager.default.fileExists(atPath: database + "-shm"))
        let logs = try CommandRunner.run(["logs", "--db", database], launcher: Self.asNobody)
        #expect(logs.status == 0, "\(logs.standardError)")
        #expect(logs.standardOutput.contains("tailed line"), "\(logs.standardOutput)")
        try Self.expectQueriesWork(database, in: folder)
        #expect(tail.stop() == 0, "\(tail.output())")
        try Self.expectNothingWritten(by: "nobody", in: folder.file("shared"))
    }

    /// A night's database written by root in `folder/shared`, with the permissions of the case.
    static func makeNight(in folder: TemporaryFolder, permissions: Permissions) throws -> String {
        let shared = folder.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        let log = folder.file("svc.log")
        try """
        {"time":"2026-11-23T10:00:00Z","level":"error","msg":"payment declined","trace_id":"\(traceID)"}
        {"time":"2026-11-23T10:00:01Z","level":"info","msg":"cache warm"}
        {"level":"info","msg":

        """.write(toFile: log, atomically: true, encoding: .utf8)
        let database = shared + "/night.db"
        let batch = try CommandRunner.run(["batch", "--quiet", "--db", database, log])
        #expect(batch.status == 0, "\(batch.standardError)")
        switch permissions {
        case .ownersFolder:
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: database)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shared)
        case .readOnlyFolder:
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: database)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: shared)
        }
        return database
    }

    /// Checkpoints the log into the file and closes it, which deletes `-wal` and `-shm` (the sqlite3 shell).
    static func closeCleanly(_ database: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Nobody.sqlite3)
        process.arguments = [database, "PRAGMA wal_checkpoint(TRUNCATE);"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// Runs every query command as nobody and checks it finds the night's rows.
    static func expectQueriesWork(_ database: String, in folder: TemporaryFolder) throws {
        let show = try CommandRunner.run(["show", "--db", database, "--format", "json", traceID], launcher: asNobody)
        #expect(show.status == 0, "\(show.standardError)")
        #expect(show.standardOutput.contains("payment declined"), "\(show.standardOutput)")
        let incidents = try CommandRunner.run(["incidents", "--db", database, "--format", "json"], launcher: asNobody)
        #expect(incidents.status == 0, "\(incidents.standardError)")
        #expect(incidents.standardOutput.contains(traceID), "\(incidents.standardOutput)")
        let logs = try CommandRunner.run(["logs", "--db", database], launcher: asNobody)
        #expect(logs.status == 0, "\(logs.standardError)")
        #expect(logs.standardOutput.contains("cache warm"), "\(logs.standardOutput)")
        let rejects = try CommandRunner.run(["rejects", "--db", database], launcher: asNobody)
        #expect(rejects.status == 0, "\(rejects.standardError)")
        #expect(rejects.standardOutput.contains(folder.file("svc.log") + ":3"), "\(rejects.standardOutput)")
        let report = try CommandRunner.run(["report", "pii", "--db", database], launcher: asNobody)
        #expect(report.status == 0, "\(report.standardError)")
        #expect(report.standardOutput.hasPrefix("1 run(s)"), "\(report.standardOutput)")
    }

    /// No file in `folder` belongs to `user` (65534): the queries created nothing.
    static func expectNothingWritten(by user: String, in folder: String) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let owner = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.ownerAccountName]
            #expect(owner as? String != user, "\(name) belongs to \(user)")
        }
    }
}

/// Running a command as the unprivileged user `nobody`.
enum Nobody {
    static let setpriv = "/usr/bin/setpriv"
    /// The sqlite3 shell, to close a database cleanly.
    static let sqlite3 = "/usr/bin/sqlite3"
    static var isAvailable: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: setpriv)
            && FileManager.default.isExecutableFile(atPath: sqlite3)
    }
}
