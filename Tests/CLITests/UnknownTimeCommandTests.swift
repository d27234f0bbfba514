import Foundation
import Testing
import TraceJoinTesting

/// A record whose time is unknown is shown as unknown, not as 1970-01-01 (issue #14, item 4).
@Suite struct UnknownTimeCommandTests {
    static let untimedTrace = "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
    static let mixedTrace = "efefefefefefefefefefefefefefefef"
    /// A trace of one error log without a time; a log without trace context or time; a trace with a timed
    /// log and an untimed error log; a trace with only that same error, untimed (the same problem).
    static let lines = [
        #"{"level":"error","msg":"payment failed","service":"checkout","trace_id":"cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"}"#,
        #"{"level":"info","msg":"no trace here","service":"checkout"}"#,
        #"{"time":"2026-11-23T10:00:00Z","level":"info","msg":"timed","service":"api","trace_id":"efefefefefefefefefefefefefefefef"}"#,
        #"{"level":"error","msg":"untimed","service":"api","trace_id":"efefefefefefefefefefefefefefefef"}"#,
        #"{"level":"error","msg":"untimed","service":"api","trace_id":"abababababababababababababababab"}"#,
    ]

    /// The output line that contains `text`.
    static func line(containing text: String, in output: String) -> String? {
        output.split(separator: "\n").first { $0.contains(text) }.map(String.init)
    }

    @Test("show, logs, incidents and incidents --group print unknown for a record without a time, never 1970")
    func unknownTimes() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.file("app.log")
        try (Self.lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        let db = folder.file("t.db")
        let batch = try CommandRunner.run(["batch", "--db", db, log])
        #expect(batch.status == 0, "\(batch.standardError)")

        let untimed = try CommandRunner.run(["show", "--db", db, Self.untimedTrace])
        #expect(untimed.status == 0, "\(untimed.standardError)")
        #expect(!untimed.standardOutput.contains("1970"), "\(untimed.standardOutput)")
        #expect(untimed.standardOutput.contains("  time unknown"), "\(untimed.standardOutput)")
        #expect(
            Self.line(containing: "[checkout] payment failed", in: untimed.standardOutput)?.hasPrefix("unknown ") == true,
            "\(untimed.standardOutput)")

        let mixed = try CommandRunner.run(["show", "--db", db, Self.mixedTrace])
        #expect(mixed.status == 0, "\(mixed.standardError)")
        #expect(mixed.standardOutput.contains("  2026-11-23T10:00:00.000000000Z → "), "\(mixed.standardOutput)")
        #expect(
            Self.line(containing: "] timed", in: mixed.standardOutput)?.hasPrefix("10:00:00.000 ") == true,
            "\(mixed.standardOutput)")
        // Placed at the trace's start, but that is not its time.
        #expect(
            Self.line(containing: "] untimed", in: mixed.standardOutput)?.hasPrefix("unknown ") == true,
            "\(mixed.standardOutput)")

        let logs = try CommandRunner.run(["logs", "--db", db])
        #expect(logs.status == 0, "\(logs.standardError)")
        #expect(logs.standardOutput.contains("unknown INFO [checkout] no trace here"), "\(logs.standardOutput)")

        let incidents = try CommandRunner.run(["incidents", "--db", db])
        #expect(incidents.status == 0, "\(incidents.standardError)")
        #expect(!incidents.standardOutput.contains("1970"), "\(incidents.standardOutput)")
        #expect(
            Self.line(containing: Self.untimedTrace, in: incidents.standardOutput)?.hasPrefix("unknown ") == true,
            "\(incidents.standardOutput)")
        #expect(
            Self.line(containing: Self.mixedTrace, in: incidents.standardOutput)?.hasPrefix("2026-11-23T10:00:00.000Z ")
                == true, "\(incidents.standardOutput)")

        let problems = try CommandRunner.run(["incidents", "--group", "--db", db])
        #expect(problems.status == 0, "\(problems.standardError)")
        #expect(!problems.standardOutput.contains("1970"), "\(problems.standardOutput)")
        #expect(
            Self.line(containing: Self.untimedTrace, in: problems.standardOutput)?.contains(" unknown ") == true,
            "\(problems.standardOutput)")
        // Seen twice, once at a known time: first and last seen are that time.
        let problem = Self.line(containing: Self.mixedTrace, in: problems.standardOutput) ?? ""
        #expect(problem.hasPrefix("    2  "), "\(problems.standardOutput)")
        #expect(
            problem.contains("2026-11-23T10:00:00.000Z  2026-11-23T10:00:00.000Z "), "\(problems.standardOutput)")

        // JSON says null where it does not know, as `logs` always did.
        let logsJSON = try CommandRunner.run(["logs", "--db", db, "--format", "json"])
        #expect(logsJSON.standardOutput.contains(#"{"time":null,"service":"checkout""#), "\(logsJSON.standardOutput)")
        let showJSON = try CommandRunner.run(["show", "--db", db, "--format", "json", Self.untimedTrace])
        #expect(showJSON.standardOutput.contains(#""start":null,"end":null"#), "\(showJSON.standardOutput.prefix(300))")
        let incidentsJSON = try CommandRunner.run(["incidents", "--db", db, "--format", "json"])
        #expect(!incidentsJSON.standardOutput.contains("1970"), "\(incidentsJSON.standardOutput)")
        let problemsJSON = try CommandRunner.run(["incidents", "--group", "--db", db, "--format", "json"])
        #expect(!problemsJSON.standardOutput.contains("1970"), "\(problemsJSON.standardOutput)")
    }
}
