import Foundation
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The README's first command, run as a user would: `batch` on the bundled night, then `show`,
/// `incidents`, `logs` and `rejects`, checking the output contract tools rely on.
@Suite(.serialized) struct NightCommandTests {
    static let showcase = "b7d7adfae85d4a78333dbbe4895be857"

    /// A database filled by one `batch` run of the binary, shared by the tests.
    static let database: Result<String, any Error> = Result {
        let folder = try TemporaryFolder()
        let path = folder.file("night.db")
        let result = try CommandRunner.run(["batch", "--db", path, FixturePaths.fixture("night")])
        guard result.status == 0 else { throw CommandFailure(result: result) }
        return path
    }

    struct CommandFailure: Error {
        var result: CommandResult
    }

    @Test("batch prints a summary with the counts of the night")
    func batchSummary() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try CommandRunner.run(["batch", "--db", folder.file("n.db"), FixturePaths.fixture("night")])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("41 traces (20 incidents, 3 unsampled), 84 uncorrelated logs"))
        #expect(result.standardOutput.contains("scrubbed"))
        #expect(result.standardOutput.contains("rejects    12"))
        #expect(result.standardOutput.contains("events/s"))
    }

    @Test("the .db file alone, copied without its -wal, holds the whole night")
    func databaseFileAloneIsWhole() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let original = folder.file("n.db")
        let run = try CommandRunner.run(["batch", "--quiet", "--db", original, FixturePaths.fixture("night")])
        #expect(run.status == 0, "\(run.standardError)")
        // As a backup script or `scp` of just the database would take it.
        try FileManager.default.createDirectory(atPath: folder.file("copy"), withIntermediateDirectories: true)
        let copy = folder.file("copy/n.db")
        try FileManager.default.copyItem(atPath: original, toPath: copy)
        let fromCopy = try CommandRunner.run(["incidents", "--db", copy, "--format", "json"])
        let fromOriginal = try CommandRunner.run(["incidents", "--db", original, "--format", "json"])
        #expect(fromCopy.status == 0, "\(fromCopy.standardError)")
        #expect(try JSONParser.parse(fromCopy.standardOutput).array?.count == 20)
        #expect(fromCopy.standardOutput == fromOriginal.standardOutput)
    }

    @Test("show --format json prints the contract's fields for the showcase failure")
    func showJSONContract() throws {
        let db = try Self.database.get()
        let result = try CommandRunner.run(["show", "--db", db, "--format", "json", Self.showcase])
        #expect(result.status == 0)
        let object = try JSONParser.parse(result.standardOutput.trimmingWhitespace())
        #expect(object["traceId"]?.string == Self.showcase)
        #expect(object["status"]?.string == "error")
        #expect(object["sampled"]?.bool == true)
        #expect(object["spanCount"]?.int64 == 6)
        #expect(object["rootCause"]?["service"]?.string == "user-service")
        #expect(object["rootCause"]?["name"]?.string == "pg.connect")
        #expect(object["start"]?.string?.count == 30)  // RFC 3339 with nanoseconds
        for key in ["services", "end", "durationMs", "logCount", "errorClass", "entries"] {
            #expect(object[key] != nil, "\(key) is present")
        }
        let entries = try #require(object["entries"]?.array)
        #expect(entries.count(where: { $0["kind"]?.string == "span" }) == 6)
        let entryKeys = [
            "time", "kind", "service", "spanId", "parentSpanId", "depth", "name", "durationMs", "severity", "message",
            "status", "attributes",
        ]
        for entry in entries {
            for key in entryKeys { #expect(entry[key] != nil, "entry has \(key)") }
        }
        let times = entries.compactMap { $0["time"]?.string }
        #expect(times == times.sorted())
    }

    @Test("show accepts every form of the trace ID", arguments: [
        "b7d7adfae85d4a78333dbbe4895be857", "B7D7ADFAE85D4A78333DBBE4895BE857",
        "00-b7d7adfae85d4a78333dbbe4895be857-00f067aa0ba902b7-01",
    ])
    func showForms(_ form: String) throws {
        let db = try Self.database.get()
        let result = try CommandRunner.run(["show", "--db", db, "--format", "json", form])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("\"traceId\":\"\(Self.showcase)\""))
    }

    @Test("show as text is a waterfall that names the root cause and fits 120 columns")
    func showText() throws {
        let db = try Self.database.get()
        let result = try CommandRunner.run(["show", "--db", db, Self.showcase])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("root cause: user-service `pg.connect`"))
        #expect(!result.standardOutput.contains("\u{1B}["), "no colour when not on a terminal")
        for line in result.standardOutput.split(separator: "\n") { #expect(line.count <= 120) }
    }

    @Test("incidents --format json lists failures newest first, filtered by service and time")
    func incidentsJSON() throws {
        let db = try Self.database.get()
        let all = try JSONParser.parse(try CommandRunner.run(["incidents", "--db", db, "--format", "json"]).standardOutput)
        let incidents = try #require(all.array)
        #expect(incidents.count == 20)
        let starts = incidents.compactMap { $0["start"]?.string }
        #expect(starts == starts.sorted(by: >))
        #expect(incidents.allSatisfy { $0["status"]?.string == "error" })

        let filtered = try JSONParser.parse(
            try CommandRunner.run([
                "incidents", "--db", db, "--format", "json", "--service", "inventory-worker", "--since",
                "2026-11-23T00:00Z",
            ]).standardOutput)
        let subset = try #require(filtered.array)
        #expect(!subset.isEmpty && subset.count < 20)
        #expect(subset.allSatisfy { ($0["services"]?.array ?? []).contains(.string("inventory-worker")) })
    }

    @Test("uncorrelated logs are listed by service")
    func uncorrelatedLogs() throws {
        let db = try Self.database.get()
        let result = try CommandRunner.run(["logs", "--db", db, "--format", "json", "--limit", "1000"])
        let logs = try #require(try JSONParser.parse(result.standardOutput).array)
        #expect(logs.count == 84)
        #expect(!result.standardError.contains("--limit"), "all 84 fit under the limit: \(result.standardError)")

        // At the limit, standard error says the list was cut there; the output stays valid JSON.
        let cut = try CommandRunner.run(["logs", "--db", db, "--format", "json", "--limit", "10"])
        #expect(try JSONParser.parse(cut.standardOutput).array?.count == 10)
        #expect(cut.standardError.contains("only the first 10 logs are shown"), "\(cut.standardError)")
        // A limit of exactly all there is cuts nothing, so there is nothing to say; one less, and there is.
        let exact = try CommandRunner.run(["logs", "--db", db, "--format", "json", "--limit", "84"])
        #expect(try JSONParser.parse(exact.standardOutput).array?.count == 84)
        #expect(!exact.standardError.contains("--limit"), "\(exact.standardError)")
        let one = try CommandRunner.run(["logs", "--db", db, "--limit", "1"])
        #expect(one.standardError.contains("only the first log is shown (--limit 1)"), "\(one.standardError)")
        #expect(try CommandRunner.run(["logs", "--db", db, "--limit", "0"]).status != 0)
    }
}
