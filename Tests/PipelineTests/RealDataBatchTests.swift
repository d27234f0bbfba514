import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// One real minute of TrainTicket (../shared/samples/nezha-trainticket): Docker-wrapped Java logs with
/// the trace ID inside the text, and the same requests' spans split over OTLP, Jaeger and Zipkin files.
@Suite struct RealDataBatchTests {
    struct TruthTrace {
        var traceID: TraceID
        var spans: Int
        var logs: Int
        var services: Set<String>
    }

    static func truth() throws -> [TruthTrace] {
        let data = try Data(contentsOf: URL(fileURLWithPath: FixturePaths.shared("samples/nezha-trainticket/truth.json")))
        let document = try JSONParser.parse(Array(data))
        return try #require(document["traces"]?.array).map { trace in
            TruthTrace(
                traceID: TraceID(hex: trace["trace_id"]?.string ?? "")!, spans: Int(trace["spans"]?.int64 ?? -1),
                logs: Int(trace["logs"]?.int64 ?? -1),
                services: Set((trace["services"]?.array ?? []).compactMap(\.string)))
        }
    }

    @Test("every trace of the real minute shows exactly its spans and its log lines")
    func everyTraceMatchesTruth() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var configuration = BatchConfiguration(inputs: [
            FixturePaths.shared("samples/nezha-trainticket/logs"), FixturePaths.shared("samples/nezha-trainticket/spans"),
        ])
        configuration.databasePath = folder.file("real.db")
        let summary = try BatchRunner(configuration: configuration).run()
        let truth = try Self.truth()
        #expect(summary.rejects == 0)
        #expect(summary.spans == truth.reduce(0) { $0 + $1.spans })
        #expect(summary.traces == truth.count)

        let store = try IncidentStore.openExisting(path: configuration.databasePath)
        for expected in truth {
            let timelines = try TimelineQuery.timelines(for: .full(expected.traceID), in: store)
            let timeline = try #require(timelines.first, "trace \(expected.traceID) is missing")
            #expect(timeline.summary.spanCount == expected.spans, "spans of \(expected.traceID)")
            #expect(timeline.summary.logCount == expected.logs, "logs of \(expected.traceID)")
            #expect(Set(timeline.summary.services) == expected.services, "services of \(expected.traceID)")
            #expect(timeline.entries.count(where: { $0.kind == .span }) == expected.spans)
        }
    }

    @Test("running the same batch twice leaves the same rows, and skips files ingested whole")
    func idempotentRerun() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        var configuration = BatchConfiguration(inputs: [
            FixturePaths.shared("samples/nezha-trainticket/logs"), FixturePaths.shared("samples/nezha-trainticket/spans"),
        ])
        configuration.databasePath = folder.file("twice.db")
        let first = try BatchRunner(configuration: configuration).run()
        let countsAfterFirst = try IncidentStore.openExisting(path: configuration.databasePath).counts()

        // The same files under new names (rotation renames) are recognised by content.
        let renamed = folder.file("renamed")
        try FileManager.default.copyItem(
            atPath: FixturePaths.shared("samples/nezha-trainticket/logs"), toPath: renamed)
        configuration.inputs.append(renamed)
        let second = try BatchRunner(configuration: configuration).run()
        let countsAfterSecond = try IncidentStore.openExisting(path: configuration.databasePath).counts()

        #expect(second.filesSkipped == second.files)
        #expect(first.filesSkipped == 0)
        #expect(countsAfterSecond == countsAfterFirst)
    }
}
