import Foundation
import Testing
import TraceJoinTesting

/// `tracejoin tail` following a file of OTLP JSON log exports (one `ExportLogsServiceRequest` per line, as the
/// SDK file exporter writes), killed with SIGKILL while it reads, then restarted: every log record is stored
/// exactly once.
@Suite struct TailSpanExportCommandTests {
    /// One OTLP export line holding one log record whose body is `record-<number>`.
    static func exportLine(_ number: Int) -> String {
        let time = 1_764_064_800_000_000_000 + number * 1_000_000
        return """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"worker"}}]},\
            "scopeLogs":[{"scope":{"name":"opentelemetry.sdk._logs"},"logRecords":[{"timeUnixNano":"\(time)",\
            "severityNumber":9,"severityText":"INFO","body":{"stringValue":"record-\(number)"}}]}]}]}

            """
    }

    static func storedRecords(in folder: TemporaryFolder) throws -> [String] {
        let result = try CommandRunner.run(["logs", "--db", "tail.db", "--limit", "100000"], in: folder.path)
        guard result.status == 0 else { return [] }
        return result.standardOutput.split(separator: "\n").compactMap { row in
            row.split(separator: " ").last.map(String.init).flatMap { $0.hasPrefix("record-") ? $0 : nil }
        }
    }

    @Test("kill -9 while an OTLP log export is read, then a restart: every record stored once, none as a log line")
    func killNineOnExport() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let export = folder.file("worker.otlplogs.jsonl")
        let arguments = ["--db", "tail.db", "--poll-interval", "20", folder.file("*.jsonl")]
        try TailCommandTests.append((1...2000).map(Self.exportLine).joined(), to: export)
        let first = try TailCommandTests.startTail(arguments, in: folder)
        #expect(try BackgroundCommand.waitUntil { try !Self.storedRecords(in: folder).isEmpty })
        try TailCommandTests.append((2001...3000).map(Self.exportLine).joined(), to: export)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)

        try TailCommandTests.append((3001...3500).map(Self.exportLine).joined(), to: export)
        let second = try TailCommandTests.startTail(arguments, in: folder)
        #expect(try BackgroundCommand.waitUntil { try Self.storedRecords(in: folder).count >= 3500 })
        #expect(TailCommandTests.stop(second))
        let records = try Self.storedRecords(in: folder)
        #expect(records.count == 3500)
        #expect(Set(records) == Set((1...3500).map { "record-\($0)" }))
        let all = try CommandRunner.run(["logs", "--db", "tail.db", "--limit", "100000"], in: folder.path)
        #expect(!all.standardOutput.contains("resourceLogs"))
    }
}
