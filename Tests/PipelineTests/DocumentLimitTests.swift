import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// A span document over the document limit, on one line or pretty-printed, is refused with the message
/// that names the limit and suggests JSON lines; the limit is lowered here so the files stay small.
@Suite struct DocumentLimitTests {
    static let limit = 64 << 10

    /// One OTLP/JSON traces document on one line, with `spans` spans of `nameBytes`-long names.
    static func otlpLine(spans: Int, nameBytes: Int, trace: String) -> String {
        let name = String(repeating: "n", count: nameBytes)
        let list = (0..<spans).map { index in
            "{\"traceId\":\"\(trace)\",\"spanId\":\"\(String(format: "%016x", index + 1))\",\"name\":\"\(name)\","
                + "\"startTimeUnixNano\":\"1764000000000000000\",\"endTimeUnixNano\":\"1764000001000000000\"}"
        }
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[]},\"scopeSpans\":[{\"spans\":["
            + list.joined(separator: ",") + "]}]}]}"
    }

    static func run(_ path: String, in folder: TemporaryFolder) throws -> (BatchSummary, IncidentStore) {
        var configuration = BatchConfiguration(inputs: [path])
        configuration.databasePath = folder.file("t.db")
        configuration.rejectsPrintedPerFile = 0
        configuration.maxDocumentBytes = limit
        let summary = try BatchRunner(configuration: configuration).run()
        return (summary, try IncidentStore.openExisting(path: configuration.databasePath))
    }

    @Test("an OTLP JSON line over the limit is a reject saying so, not 'unterminated string'; the next line is read")
    func longLine() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("spans.json")
        let huge = Self.otlpLine(spans: 40, nameBytes: 2048, trace: "4bf92f3577b34da6a3ce929d0e0e4736")
        let small = Self.otlpLine(spans: 1, nameBytes: 8, trace: "5bf92f3577b34da6a3ce929d0e0e4736")
        #expect(huge.utf8.count > Self.limit)
        try (huge + "\n" + small + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let (_, store) = try Self.run(path, in: folder)
        let rejects = try store.rejects(limit: 10)
        #expect(rejects.count == 1)
        let reason = try #require(rejects.first?.reason)
        #expect(reason.contains("document larger than 64 KiB; not read"), "reason: \(reason)")
        #expect(reason.contains("JSON lines"))
        #expect(!reason.contains("unterminated"))
        #expect(rejects.first?.location.line == 1)
        #expect(try store.counts().spans == 1, "the line after the long one was not read")
    }

    @Test("a pretty-printed document over the limit is refused whole with the same message")
    func prettyDocument() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("spans.json")
        let line = Self.otlpLine(spans: 40, nameBytes: 2048, trace: "4bf92f3577b34da6a3ce929d0e0e4736")
        try line.replacingOccurrences(of: "},{", with: "},\n  {").write(toFile: path, atomically: true, encoding: .utf8)

        let (summary, store) = try Self.run(path, in: folder)
        let problem = try #require(summary.fileErrors.first)
        #expect(problem.message == "document larger than 64 KiB; not read")
        #expect(problem.hint?.contains("JSON lines") == true)
        #expect(try store.counts().spans == 0)
    }
}
