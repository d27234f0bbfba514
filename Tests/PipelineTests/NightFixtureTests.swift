import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The bundled night (`Fixtures/night`) against the ground truth its generator wrote
/// (`Fixtures/expected/night.json`): every count a user would check after `batch`.
@Suite struct NightFixtureTests {
    /// One batch over the night, shared by the tests of this suite.
    static let ingested: Result<(summary: BatchSummary, store: IncidentStore), any Error> = Result {
        let folder = try TemporaryFolder()
        var configuration = BatchConfiguration(inputs: [FixturePaths.fixture("night")])
        configuration.databasePath = folder.file("night.db")
        let summary = try BatchRunner(configuration: configuration).run()
        return (summary, try IncidentStore.openExisting(path: configuration.databasePath))
    }

    static let expected: JSONValue = {
        let data = FileManager.default.contents(atPath: FixturePaths.fixture("expected/night.json")) ?? Data()
        return (try? JSONParser.parse(Array(data))) ?? .null
    }()

    static var expectedTraces: [JSONValue] { expected["traces"]?.array ?? [] }

    @Test("the run's stats hold the scrubbing CPU time apart, as part of the decoding thread's")
    func scrubCPUTimeIsRecorded() throws {
        let (summary, store) = try Self.ingested.get()
        let stats = try #require(try store.finishedRuns().last?.stats)
        let scrub = try #require(stats["scrubCPUSeconds"]?.double)
        let decoder = try #require(stats["decoderCPUSeconds"]?.double)
        #expect(scrub == summary.scrubCPUSeconds)
        #expect(scrub > 0)
        #expect(scrub <= decoder)
    }

    @Test("the totals match the ground truth")
    func totals() throws {
        let (summary, store) = try Self.ingested.get()
        let totals = try #require(Self.expected["totals"])
        let counts = try store.counts()
        #expect(counts.traces == Int(totals["traces"]?.int64 ?? -1))
        #expect(counts.incidents == Int(totals["incidents"]?.int64 ?? -1))
        #expect(counts.unsampled == Int(totals["unsampledTraces"]?.int64 ?? -1))
        #expect(counts.spans == Int(totals["spans"]?.int64 ?? -1))
        #expect(counts.spanEvents == Int(totals["spanEvents"]?.int64 ?? -1))
        #expect(counts.logs == Int(totals["logRecords"]?.int64 ?? -1))
        #expect(counts.uncorrelatedLogs == Int(totals["uncorrelatedLogRecords"]?.int64 ?? -1))
        #expect(counts.rejects == Int(totals["rejects"]?.int64 ?? -1))
        #expect(summary.rejects == counts.rejects)
        // What the run reports, counted without reading every log.
        #expect(summary.traces == counts.traces && summary.incidents == counts.incidents)
        #expect(summary.unsampledTraces == counts.unsampled && summary.uncorrelatedLogs == counts.uncorrelatedLogs)
        #expect(summary.files == 16)
    }

    @Test("every malformed line is rejected with its file and line, and nothing else is")
    func rejectsNameFileAndLine() throws {
        let (_, store) = try Self.ingested.get()
        let root = FixturePaths.fixture("night") + "/"
        let stored = Set(try store.rejects(limit: 1000).map { "\($0.location.source.replacingOccurrences(of: root, with: "")):\($0.location.line)" })
        let expected = Set((Self.expected["rejects"]?.array ?? []).map { "\($0["file"]?.string ?? ""):\($0["line"]?.int64 ?? 0)" })
        #expect(stored == expected)
    }

    @Test("each trace has its spans, logs, services, status and root cause", arguments: expectedTraces.indices)
    func traceMatchesTruth(_ index: Int) throws {
        let (_, store) = try Self.ingested.get()
        let truth = Self.expectedTraces[index]
        let traceID = try #require(TraceID(hex: truth["traceId"]?.string ?? ""))
        let timeline = try #require(try TimelineQuery.timelines(for: .full(traceID), in: store).first)
        let summary = timeline.summary
        #expect(summary.traceID == traceID)
        #expect(summary.spanCount == Int(truth["spanCount"]?.int64 ?? -1))
        #expect(summary.logCount == Int(truth["logCount"]?.int64 ?? -1))
        #expect(summary.eventCount == Int(truth["eventCount"]?.int64 ?? -1))
        #expect(Set(summary.services) == Set((truth["services"]?.array ?? []).compactMap(\.string)))
        #expect(summary.isError == (truth["status"]?.string == "error"))
        #expect(summary.sampled == (truth["sampled"]?.bool ?? true))
        if let rootCause = truth["rootCause"]?.object {
            #expect(summary.rootCause?.service == rootCause["service"]?.string)
            if let spanName = rootCause["spanName"]?.string {
                #expect(summary.rootCause?.name == spanName)
            } else {
                // Only a trace without spans has a root cause that is not a span: an error log.
                #expect(summary.spanCount == 0)
                #expect(summary.rootCause.map { !$0.message.isEmpty } == true)
            }
        } else {
            #expect(summary.rootCause == nil)
        }
        // Entries come in time order.
        #expect(zip(timeline.entries, timeline.entries.dropFirst()).allSatisfy { $0.time <= $1.time })
    }

    @Test("a Datadog decimal ID finds the full 128-bit trace")
    func datadogDecimalFindsTrace() throws {
        let (_, store) = try Self.ingested.get()
        let withDatadog = Self.expectedTraces.filter { $0["datadogTraceId"] != nil }
        #expect(!withDatadog.isEmpty)
        for truth in withDatadog {
            let reference = try #require(TraceIDText.parse(truth["datadogTraceId"]?.string ?? ""))
            let timelines = try TimelineQuery.timelines(for: reference, in: store)
            #expect(timelines.first?.summary.traceID.hex == truth["traceId"]?.string)
        }
    }

    @Test("64-bit trace IDs are found as written")
    func sixtyFourBitIDs() throws {
        let (_, store) = try Self.ingested.get()
        for truth in Self.expectedTraces where truth["traceIdAsWritten"] != nil {
            let reference = try #require(TraceIDText.parse(truth["traceIdAsWritten"]?.string ?? ""))
            let timelines = try TimelineQuery.timelines(for: reference, in: store)
            #expect(timelines.first?.summary.traceID.hex == truth["traceId"]?.string)
        }
    }
}
