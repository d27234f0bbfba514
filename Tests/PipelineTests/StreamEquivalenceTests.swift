import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The live path (OTLP requests through `StreamIntake`, log files through `TailRunner`, both into ONE
/// database as `serve` and `tail` in one process) gives the same per-trace timelines and summaries as
/// `batch` over the same files of the bundled night.
///
/// Only the files both paths can read take part, copied under the same relative paths (a log's service
/// may come from its path):
/// - in: the Collector's OTLP JSON lines (`spans/otel-collector/traces-001.jsonl`), each line sent as one
///   JSON request body, as the Collector's exporter would have sent it; the plain log files, followed by tail.
/// - out: Jaeger and Zipkin exports (serve receives OTLP only) and the gzip-rotated logs (`*.log.N.gz`: tail
///   never follows a compressed file; it would have read those lines before rotation).
///
/// The Collector line cut mid-write is a reject in batch and an undecodable request (400) here; its spans
/// are in the next line, so no timeline differs. Rejects themselves are therefore not compared.
@Suite struct StreamEquivalenceTests {
    static let logGlobs = ["logs/*/*.log", "k8s/var/log/containers/*.log"]
    static let spanFile = "spans/otel-collector/traces-001.jsonl"

    /// The night's files both paths read, copied under `folder`.
    static func copyReadableFiles(to folder: String) throws -> [String] {
        let night = FixturePaths.fixture("night")
        var copied: [String] = []
        let walker = FileManager.default.enumerator(atPath: night)
        while let relative = walker?.nextObject() as? String {
            let included = relative == spanFile || (relative.hasSuffix(".log") && !relative.hasPrefix("spans/"))
            guard included else { continue }
            let target = folder + "/" + relative
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: night + "/" + relative, toPath: target)
            copied.append(relative)
        }
        return copied.sorted()
    }

    /// `show --format json` of every trace of the truth, and `incidents --format json`.
    static func rendered(_ store: IncidentStore) throws -> (timelines: [String: [String]], incidents: String) {
        let truth = try JSONParser.parse(
            Array(FileManager.default.contents(atPath: FixturePaths.fixture("expected/night.json")) ?? Data()))
        var timelines: [String: [String]] = [:]
        for trace in truth["traces"]?.array ?? [] {
            let hex = trace["traceId"]?.string ?? ""
            let id = try #require(TraceID(hex: hex))
            let shown = try TimelineQuery.classifiedTimelines(for: .full(id), in: store).map {
                TimelineJSONFormatter.format($0.timeline, classification: $0.classification)
            }
            if !shown.isEmpty { timelines[hex] = shown }
        }
        return (timelines, TimelineJSONFormatter.format(incidents: try store.incidents(IncidentFilter())))
    }

    @Test("OTLP requests and tailed logs give the same timelines and summaries as batch over the same files")
    func sameTimelinesAsBatch() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let inputs = folder.file("night")
        let copied = try Self.copyReadableFiles(to: inputs)
        #expect(copied.contains(Self.spanFile) && copied.filter { $0.hasSuffix(".log") }.count >= 5, "files: \(copied)")

        var batch = BatchConfiguration(inputs: [inputs])
        batch.databasePath = folder.file("batch.db")
        _ = try BatchRunner(configuration: batch).run()

        // serve + tail in one process: one store, the serve finalizer summarising for both.
        let store = try IncidentStore(path: folder.file("live.db"))
        let service = try StreamService(store: store, rules: RulesInForce(.init()))
        service.start()
        let lines = try String(contentsOfFile: inputs + "/" + Self.spanFile, encoding: .utf8).split(separator: "\n")
        var undecodable = 0
        for line in lines {
            switch await service.intake.submit(Array(line.utf8), signal: .traces, encoding: .json) {
            case .stored: break
            case .undecodable: undecodable += 1
            case let other: Issue.record("request answered \(other)")
            }
        }
        #expect(undecodable == 1, "only the line cut mid-write is refused")

        var tail = TailRunConfiguration(patterns: Self.logGlobs.map { inputs + "/" + $0 })
        tail.holdBack = .zero
        tail.partialLineTimeout = .zero  // the Python log ends without a newline
        tail.finalizesTraces = false
        let runner = try TailRunner(configuration: tail, store: store)
        for _ in 0..<3 { try runner.pollAll() }
        let stop = TailStopSignal()
        stop.stop()
        try runner.run(until: stop)  // writes what the decoders still hold
        try await service.shutdown()  // summarises every open trace, tail's too

        let expected = try Self.rendered(try IncidentStore.openExisting(path: batch.databasePath))
        let live = try Self.rendered(store)
        #expect(expected.timelines.count >= 30, "most of the night's traces are in the compared files")
        #expect(Set(live.timelines.keys) == Set(expected.timelines.keys))
        for (trace, batchTimelines) in expected.timelines.sorted(by: { $0.key < $1.key }) {
            #expect(live.timelines[trace] == batchTimelines, "trace \(trace)")
        }
        #expect(live.incidents == expected.incidents)
        let liveCounts = try store.counts()
        let batchCounts = try IncidentStore.openExisting(path: batch.databasePath).counts()
        #expect(liveCounts.spans == batchCounts.spans && liveCounts.logs == batchCounts.logs)
        #expect(liveCounts.uncorrelatedLogs == batchCounts.uncorrelatedLogs)
    }
}
