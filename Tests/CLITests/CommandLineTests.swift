import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Runs the built binary as a user would, checking output and exit statuses the README documents.
@Suite struct CommandLineTests {
    @Test("help lists every subcommand")
    func helpListsCommands() throws {
        let result = try CommandRunner.run(["--help"])
        #expect(result.status == 0)
        for command in ["batch", "show", "incidents", "logs", "rejects"] {
            #expect(result.standardOutput.contains(command), "help mentions \(command)")
        }
    }

    @Test("a missing input is a clear error with exit status 1")
    func missingInput() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try CommandRunner.run(["batch", "--db", folder.file("x.db"), folder.file("nope.log")])
        #expect(result.status == 1)
        #expect(result.standardError.contains("nope.log"))
    }

    @Test("a malformed trace ID is bad usage, exit status 64")
    func malformedTraceID() throws {
        let result = try CommandRunner.run(["show", "not-a-trace"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("not a trace ID"))
    }

    @Test("show on a database without the trace exits 1 and says so")
    func unknownTrace() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("app.log")
        try #"{"level":"info","msg":"hello","trace_id":"11111111111111111111111111111111"}"#
            .write(toFile: log, atomically: true, encoding: .utf8)
        let batch = try CommandRunner.run(["batch", "--quiet", "--db", folder.file("t.db"), log])
        #expect(batch.status == 0)
        let result = try CommandRunner.run(["show", "--db", folder.file("t.db"), "22222222222222222222222222222222"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("no trace"))
    }

    @Test("show finds a Datadog trace by a 16-digit decimal ID, which also reads as hex")
    func sixteenDigitDatadogID() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("dd.log")
        try #"{"timestamp":"2026-11-23T10:00:00.007Z","status":"error","message":"x","dd":{"trace_id":"1234567890123456","span_id":"1"}}"#
            .write(toFile: log, atomically: true, encoding: .utf8)
        let db = folder.file("t.db")
        #expect(try CommandRunner.run(["batch", "--quiet", "--db", db, log]).status == 0)
        let show = try CommandRunner.run(["show", "--db", db, "--format", "json", "1234567890123456"])
        #expect(show.status == 0, "\(show.standardError)")
        let traceID = try JSONParser.parse(show.standardOutput)["traceId"]?.string
        #expect(traceID == "0000000000000000000462d53c8abac0")
    }

    @Test("a file read with the wrong --format (every record rejected) is read again by the next run")
    func wrongFormatIsNotFinal() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("payment-service.log")
        try """
        {"level":"info","time":"2026-11-23T10:00:00Z","msg":"charged","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}
        {"level":"error","time":"2026-11-23T10:00:01Z","msg":"declined","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}

        """.write(toFile: log, atomically: true, encoding: .utf8)
        let db = folder.file("t.db")
        let wrong = try CommandRunner.run(["batch", "--quiet", "--format", "otlp-json", "--db", db, log])
        #expect(wrong.status == 0)
        let right = try CommandRunner.run(["batch", "--db", db, log])
        #expect(right.status == 0)
        #expect(right.standardOutput.contains("logs       2 read"), "\(right.standardOutput)")
        let show = try CommandRunner.run(["show", "--db", db, "--format", "json", "4bf92f3577b34da6a3ce929d0e0e4736"])
        #expect(try JSONParser.parse(show.standardOutput)["logCount"]?.int64 == 2)
        let rejects = try CommandRunner.run(["rejects", "--db", db])
        #expect(!rejects.standardOutput.contains("payment-service.log:"), "the wrong format's rejects are gone")
        let again = try CommandRunner.run(["batch", "--db", db, log])
        #expect(again.standardOutput.contains("already ingested"), "\(again.standardOutput)")

        // The same for a gzip file, which has no head to be continued by: read again as the same source.
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", log]
        try gzip.run()
        gzip.waitUntilExit()
        let gzDB = folder.file("gz.db")
        _ = try CommandRunner.run(["batch", "--quiet", "--format", "otlp-json", "--db", gzDB, log + ".gz"])
        let gzRight = try CommandRunner.run(["batch", "--db", gzDB, log + ".gz"])
        #expect(gzRight.standardOutput.contains("logs       2 read"), "\(gzRight.standardOutput)")
        let gzRejects = try CommandRunner.run(["rejects", "--db", gzDB])
        #expect(!gzRejects.standardOutput.contains("payment-service.log.gz:"), "\(gzRejects.standardOutput)")
    }

    @Test("a missing or foreign database is named once, compiler-style, with exit status 1")
    func databaseErrorsNameTheFileOnce() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let missing = folder.file("missing.db")
        let show = try CommandRunner.run(["show", "--db", missing, "4bf92f3577b34da6a3ce929d0e0e4736"])
        #expect(show.status == 1)
        #expect(show.standardError.hasPrefix("\(missing): error: no database"), "\(show.standardError)")
        let foreign = folder.file("notes.db")
        try "not a database\n".write(toFile: foreign, atomically: true, encoding: .utf8)
        let log = folder.file("app.log")
        try #"{"level":"info","msg":"hi"}"#.write(toFile: log, atomically: true, encoding: .utf8)
        let batch = try CommandRunner.run(["batch", "--db", foreign, log])
        #expect(batch.status == 1)
        #expect(batch.standardError.hasPrefix("\(foreign): error: not a tracejoin database"), "\(batch.standardError)")
    }

    @Test("--strict turns rejected records into exit status 65, and the reject names file and line")
    func strictRejects() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("svc.log")
        try "{\"level\":\"info\",\"msg\":\"fine\"}\n{\"level\":\"info\",\"msg\":\n".write(
            toFile: log, atomically: true, encoding: .utf8)
        let relaxed = try CommandRunner.run(["batch", "--db", folder.file("a.db"), log])
        #expect(relaxed.status == 0)
        #expect(relaxed.standardError.contains("svc.log:2"))
        let strict = try CommandRunner.run(["batch", "--strict", "--db", folder.file("b.db"), log])
        #expect(strict.status == 65)
        let quiet = try CommandRunner.run(["batch", "--quiet", "--db", folder.file("c.db"), log])
        #expect(quiet.status == 0)
        #expect(quiet.standardError.isEmpty, "--quiet prints no warnings: \(quiet.standardError)")
        #expect(quiet.standardOutput.isEmpty)
        let rejects = try CommandRunner.run(["rejects", "--db", folder.file("a.db")])
        #expect(rejects.standardOutput.contains("svc.log:2"))
    }
}

/// Damaged input never loses good input: a gzip file cut short keeps every line before the cut.
@Suite struct DamagedInputTests {
    @Test("a truncated gzip file keeps what was readable and names the file in a warning")
    func truncatedGzip() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var text = ""
        for index in 0..<2000 {
            text += #"{"level":"info","time":1795428000000,"msg":"request \#(index) served","trace_id":"#
                + #""0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331"}"# + "\n"
        }
        let plain = folder.file("svc.log")
        try text.write(toFile: plain, atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain]
        try gzip.run()
        gzip.waitUntilExit()
        var compressed = try #require(FileManager.default.contents(atPath: plain + ".gz"))
        compressed = compressed.prefix(compressed.count * 2 / 3)
        let damaged = folder.file("svc.log.1.gz")
        try compressed.write(to: URL(fileURLWithPath: damaged))

        let db = folder.file("d.db")
        let result = try CommandRunner.run(["batch", "--db", db, damaged])
        #expect(result.status == 0)
        #expect(result.standardError.contains("svc.log.1.gz"))
        #expect(result.standardError.contains("truncated"))
        let show = try CommandRunner.run(["show", "--db", db, "--format", "json", "0af7651916cd43dd8448eb211c80319c"])
        let logCount = try JSONParser.parse(show.standardOutput)["logCount"]?.int64 ?? 0
        #expect(logCount > 500 && logCount < 2000, "the lines before the cut are kept (\(logCount))")
        let strict = try CommandRunner.run(["batch", "--strict", "--quiet", "--db", folder.file("s.db"), damaged])
        #expect(strict.status == 65, "a damaged file fails a --strict run")
        #expect(strict.standardError.contains("svc.log.1.gz"), "and is reported even with --quiet")
    }
}
