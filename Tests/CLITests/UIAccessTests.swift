import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

#if canImport(Glibc)
    import Glibc
#endif

/// Who may read through `tracejoin ui`, and on what file: a token beyond loopback, a database the user may only
/// read, and the signals that stop it.
@Suite(.serialized) struct UIAccessTests {
    @Test("beyond loopback a token file is required (64); with one, a request without the token gets 401")
    func bearerToken() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let database = try UICommandTests.database.get()
        let refused = try CommandRunner.run(["ui", "--db", database, "--query-http", "0.0.0.0:0"])
        #expect(refused.status == 64)
        #expect(refused.standardError.contains("--query-token-file"), "\(refused.standardError)")

        try "".write(toFile: folder.file("empty.token"), atomically: true, encoding: .utf8)
        let empty = try CommandRunner.run(
            ["ui", "--db", database, "--query-http", "0.0.0.0:0", "--query-token-file", folder.file("empty.token")])
        #expect(empty.status == 78, "\(empty.standardError)")
        #expect(empty.standardError.contains("empty.token: error:"))

        try "s3cret-token-42\n".write(toFile: folder.file("ui.token"), atomically: true, encoding: .utf8)
        let (ui, base) = try QueryHTTP.startUI(
            database: database, in: folder, arguments: ["--query-token-file", folder.file("ui.token")],
            host: "0.0.0.0", headers: ["Authorization: Bearer s3cret-token-42"])
        defer { ui.terminateIfRunning() }
        for headers in [[], ["Authorization: Bearer wrong"], ["Authorization: Basic czNjcmV0LXRva2VuLTQy"]] {
            let answer = try QueryHTTP.request(base + "/api/services", headers: headers)
            #expect(answer.status == 401, "\(headers)")
            #expect(try answer.json()["errors"]?.array?.first?["code"]?.int64 == 401)
        }
        #expect(try QueryHTTP.request(base + "/api/nothing").status == 401, "unknown paths are refused too")
        let allowed = try QueryHTTP.request(base + "/api/services", headers: ["Authorization: Bearer s3cret-token-42"])
        #expect(allowed.status == 200)
        #expect(!ui.output().contains("s3cret"), "the token is never printed")
        #expect(ui.stop(interrupt: true) == 0, "ui did not exit 0 on SIGINT: \(ui.output())")
    }

    @Test("ui reads a 444 database in a 555 folder (as nobody when run as root), writes nothing, exits 0")
    func readOnlyDatabase() throws {
        let folder = try TemporaryFolder()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.file("shared"))
            folder.remove()
        }
        let shared = folder.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        let database = shared + "/night.db"
        let source = try UICommandTests.database.get()
        try FileManager.default.copyItem(atPath: source, toPath: database)
        if FileManager.default.fileExists(atPath: source + "-wal") {
            try FileManager.default.copyItem(atPath: source + "-wal", toPath: database + "-wal")
        }
        // Closed as its last connection would close it: no -wal or -shm left for SQLite to need.
        if Nobody.isAvailable { try ReadOnlyDatabaseTests.closeCleanly(database) }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: database)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: shared)
        let before = try FileManager.default.contentsOfDirectory(atPath: shared).sorted()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: database))

        let (ui, base) = try QueryHTTP.startUI(
            database: database, in: folder, launcher: Nobody.isAvailable ? ReadOnlyDatabaseTests.asNobody : [])
        defer { ui.terminateIfRunning() }
        #expect(try QueryHTTP.request(base + "/api/services").status == 200)
        let trace = try QueryHTTP.request(base + "/api/traces/" + UICommandTests.showcase)
        #expect(trace.status == 200, "\(trace.body.prefix(300)) \(ui.output())")
        #expect(try trace.json()["data"]?.array?.first?["spans"]?.array?.count == 6)
        #expect(ui.stop() == 0, "ui did not exit 0 on SIGTERM: \(ui.output())")

        #expect(try FileManager.default.contentsOfDirectory(atPath: shared).sorted() == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == bytes, "the database is unchanged")
    }
}
