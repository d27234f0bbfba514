import Foundation
import OTLPProto
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// What `serve` exports at `/metrics` about its write path, read through a recording swift-metrics factory.
@Suite struct StreamMetricsTests {
    @Test("records written, rejected and dropped are counted by signal; batches timed; queue and open traces gauged")
    func countsBySignal() async throws {
        let recorded = RecordingMetricsFactory()
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try IncidentStore(path: folder.file("stream.db"))
        let rules = RulesInForce(.init(scrubber: DropMessages(containing: "drop me")))
        let service = try StreamService(store: store, rules: rules, metrics: StreamMetrics(factory: recorded))
        service.start()
        let trace = "1e223ff1f80f1c69f8f0b81c1a43fc2b"
        let spans = try StreamBodies.traces(
            service: "api",
            [
                StreamBodies.span(trace: trace, id: "1e223ff1f80f1c69", name: "GET /"),
                StreamBodies.span(trace: trace, id: "1e223ff1f80f1c6a", name: "no start") { $0.startTimeUnixNano = 0 },
            ])
        _ = await service.intake.submit(spans, signal: .traces, encoding: .protobuf)
        _ = await service.intake.submit(
            StreamBodies.logs(service: "api", trace: trace, ["kept", "drop me"]), signal: .logs, encoding: .json)
        _ = await service.intake.submit(Array("not json".utf8), signal: .logs, encoding: .json)
        try await service.shutdown()

        let records = "tracejoin_stream_records_total"
        #expect(recorded.sum(records, ["signal": "traces", "outcome": "written"]) == 1)
        #expect(recorded.sum(records, ["signal": "traces", "outcome": "rejected"]) == 1)
        #expect(recorded.sum(records, ["signal": "logs", "outcome": "written"]) == 1)
        #expect(recorded.sum(records, ["signal": "logs", "outcome": "dropped_by_rules"]) == 1)
        #expect(recorded.sum("tracejoin_stream_requests_refused_total", ["reason": "undecodable"]) == 1)
        #expect(recorded.count("tracejoin_stream_write_batch_seconds") >= 1)
        #expect(recorded.last("tracejoin_stream_queue_records") == 0)
        #expect(recorded.last("tracejoin_open_traces") == 0, "every trace summarised at shutdown")
    }
}

/// Drops the logs whose message contains a text, as a `drop-record` rule would.
struct DropMessages: RecordScrubber {
    var containing: String
    func scrub(_ record: consuming Record) -> Record? {
        if case .log(let log) = record, log.message.contains(containing) { return nil }
        return record
    }
    var digest: String { "drop:\(containing)" }
}
