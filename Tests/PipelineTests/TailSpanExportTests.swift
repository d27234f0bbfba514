import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// Span exports followed by `tracejoin tail`: a file whose first line is an OTLP JSON export (as the
/// OpenTelemetry Collector and SDK file exporters write) is decoded document by document, spans and OTLP log
/// records alike, never stored as log lines; a broken line is a reject naming its line; a restart stores
/// nothing twice. Expected counts come from Foundation's JSON parser, not from the project's decoders.
@Suite struct TailSpanExportTests {
    static let collectorExport = FixturePaths.fixture("night/spans/otel-collector/traces-001.jsonl")
    static let otlpLogsExport = FixturePaths.fixture("formats/spans/otlp-quirks/logs-quirks.jsonl")

    /// The export's lines, each with its newline.
    static func lines(of path: String) throws -> [Data] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast().map {
            Data($0) + Data("\n".utf8)
        }
    }

    /// Distinct (traceId, spanId) pairs in the lines Foundation can parse, and the 1-based numbers of the others.
    static func spanIDs(in lines: [Data]) -> (ids: Set<String>, broken: [Int]) {
        var ids = Set<String>()
        var broken: [Int] = []
        for (index, line) in lines.enumerated() {
            guard let document = try? JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                broken.append(index + 1)
                continue
            }
            for resource in document["resourceSpans"] as? [[String: Any]] ?? [] {
                for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                    for span in scope["spans"] as? [[String: Any]] ?? [] {
                        ids.insert("\(span["traceId"] ?? "")/\(span["spanId"] ?? "")")
                    }
                }
            }
        }
        return (ids, broken)
    }

    static func logRecordCount(in line: Data) throws -> Int {
        let document = try #require(try JSONSerialization.jsonObject(with: line) as? [String: Any])
        return (document["resourceLogs"] as? [[String: Any]] ?? []).reduce(0) { total, resource in
            total
                + (resource["scopeLogs"] as? [[String: Any]] ?? []).reduce(0) {
                    $0 + ($1["logRecords"] as? [Any] ?? []).count
                }
        }
    }

    static func append(_ lines: some Sequence<Data>, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        for line in lines { try handle.write(contentsOf: line) }
    }

    static func runner(_ folder: TemporaryFolder, pattern: String) throws -> TailRunner {
        var configuration = TailRunConfiguration(patterns: [folder.file(pattern)])
        configuration.databasePath = folder.file("tail.db")
        configuration.holdBack = .zero
        configuration.rotatedGrace = .zero
        return try TailRunner(configuration: configuration, store: try IncidentStore(path: configuration.databasePath))
    }

    @Test("a followed Collector export is stored span by span as it grows; its broken line is a reject with file:line")
    func collectorExportFollowed() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let lines = try Self.lines(of: Self.collectorExport)
        let expected = Self.spanIDs(in: lines)
        try #require(expected.broken.count == 1 && expected.ids.count > 100)
        let followed = folder.file("checkout.spans.jsonl")
        try Self.append(lines[..<10], to: followed)
        let runner = try Self.runner(folder, pattern: "*.jsonl")
        try runner.pollAll()
        #expect(try IncidentStore.openExisting(path: folder.file("tail.db")).counts().spans
            == Self.spanIDs(in: Array(lines[..<10])).ids.count)
        try Self.append(lines[10...], to: followed)
        try runner.pollAll()

        let store = try IncidentStore.openExisting(path: folder.file("tail.db"))
        let counts = try store.counts()
        #expect(counts.spans == expected.ids.count)
        #expect(counts.logs == 0)  // not one export read as a log line
        let rejects = try store.rejects(limit: 10)
        #expect(rejects.map(\.location.line) == expected.broken)
        #expect(rejects.first?.location.source == followed)
    }

    @Test("OTLP log records in a followed file are stored, and a restart stores only the lines added since")
    func otlpLogRecordsFollowedAcrossRestart() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let line = try #require(try Self.lines(of: Self.otlpLogsExport).first)
        let perLine = try Self.logRecordCount(in: line)
        try #require(perLine == 2)
        let followed = folder.file("worker.otlplogs.jsonl")
        try Self.append(repeatElement(line, count: 3), to: followed)
        try Self.runner(folder, pattern: "*.jsonl").pollAll()
        #expect(try IncidentStore.openExisting(path: folder.file("tail.db")).counts().logs == 3 * perLine)

        // A new process over the same database: resumes mid-file, still knows the file holds OTLP exports.
        try Self.append(repeatElement(line, count: 2), to: followed)
        let restarted = try Self.runner(folder, pattern: "*.jsonl")
        try restarted.pollAll()
        #expect(restarted.counts.lines == 2)
        let store = try IncidentStore.openExisting(path: folder.file("tail.db"))
        #expect(try store.counts().logs == 5 * perLine)
        #expect(try store.counts().rejects == 0)
        let messages = try store.uncorrelatedLogs(service: nil, since: nil, until: nil, limit: 100).map(\.message)
        #expect(!messages.contains { $0.contains("resourceLogs") })
    }

    @Test("log files and span exports followed side by side each keep their own decoding")
    func mixedFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let export = try Self.lines(of: Self.collectorExport)[0]
        try Self.append([export], to: folder.file("a.jsonl"))
        try Self.append(
            [Data("{\"time\":\"2026-03-01T10:00:00Z\",\"level\":\"info\",\"msg\":\"plain log line\"}\n".utf8)],
            to: folder.file("b.jsonl"))
        try Self.runner(folder, pattern: "*.jsonl").pollAll()
        let counts = try IncidentStore.openExisting(path: folder.file("tail.db")).counts()
        #expect(counts.spans == Self.spanIDs(in: [export]).ids.count)
        #expect(counts.logs == 1)
    }
}
