import Correlate
import Foundation
import Pipeline
import Store
import Testing
import TraceJoinCore
import TraceJoinTesting

/// The summary pass reads traces that may not have failed without names, messages or attributes
/// (`RecordDetail.summary`), and re-reads the failed ones whole. Its saved summaries must be the ones
/// a full read and assembly give.
@Suite struct FinalizerReadTests {
    /// Random traces: orphans, shared Zipkin halves, duplicates, untimed logs, logs joining spans of
    /// other services, exception and plain events, error spans and error logs, some traces with no spans.
    static func randomTraces(seed: UInt64, count: Int) -> [Record] {
        var generator = SplitMix64(seed: seed)
        let services = ["checkout", "payment", "", "inventory-service"]
        var records: [Record] = []
        for traceIndex in 0..<count {
            let trace = TraceID(high: 0xFEED, low: UInt64(traceIndex + 1))
            var spanIDs: [UInt64] = []
            let spanCount = Int.random(in: 0...6, using: &generator)
            for index in 0..<spanCount {
                let id = spanIDs.last.map { $0 + 1 } ?? UInt64(traceIndex * 100 + 1)
                let duplicate = index > 0 && Int.random(in: 0..<10, using: &generator) == 0
                let spanID = duplicate ? spanIDs.randomElement(using: &generator)! : id
                spanIDs.append(spanID)
                let parent: UInt64? =
                    switch Int.random(in: 0..<5, using: &generator) {
                    case 0: nil
                    case 1: 999_999  // not in the trace: an orphan
                    default: spanIDs.randomElement(using: &generator)
                    }
                let status: SpanStatus = Int.random(in: 0..<12, using: &generator) == 0 ? .error : [.unset, .ok].randomElement(using: &generator)!
                var events: [SpanEvent] = []
                switch Int.random(in: 0..<8, using: &generator) {
                case 0: events.append(SpanEvent(time: 0, name: "cache.miss", attributes: [Attribute("key", .string("k1"))]))
                case 1:
                    events.append(
                        SpanEvent(
                            time: 1_500, name: "exception",
                            attributes: [Attribute("exception.message", .string("boom at jane@example.com"))]))
                default: break
                }
                let start = Int64.random(in: 0...4, using: &generator) * 1_000
                let span = SpanRecord(
                    traceID: trace, spanID: SpanID(spanID), parentSpanID: parent.map(SpanID.init),
                    service: services.randomElement(using: &generator)!, name: "op-\(index)", kind: .server,
                    startTime: start, endTime: start + Int64.random(in: 0...3_000, using: &generator), status: status,
                    statusMessage: status == .error ? "failed" : "",
                    attributes: [Attribute("http.route", .string("/orders/\(index)"))],
                    resource: [Attribute("service.name", .string("svc"))], events: events,
                    flags: UInt32.random(in: 0...1, using: &generator),
                    isSharedServerHalf: Int.random(in: 0..<10, using: &generator) == 0,
                    origin: InputLocation(source: "spans.json", byteOffset: Int64(traceIndex * 1_000 + index)))
                records.append(.span(span))
            }
            for index in 0..<Int.random(in: 0...5, using: &generator) {
                let severity: LogSeverity = Int.random(in: 0..<15, using: &generator) == 0 ? .error : [.debug, .info, .warn].randomElement(using: &generator)!
                let log = LogRecord(
                    time: Int.random(in: 0..<6, using: &generator) == 0 ? nil : Int64.random(in: 0...5, using: &generator) * 1_000,
                    severity: severity, severityText: severity.name, message: "step \(index)",
                    service: services.randomElement(using: &generator)!, trace: .full(trace),
                    spanID: Bool.random(using: &generator) ? spanIDs.randomElement(using: &generator).map(SpanID.init) : nil,
                    attributes: [Attribute("user", .string("u\(index)"))],
                    origin: InputLocation(source: "app.log", byteOffset: Int64(traceIndex * 1_000 + 500 + index)))
                records.append(.log(log))
            }
        }
        records.shuffle(using: &generator)
        return records
    }

    @Test("saved summaries equal the full assembly's, for traces that failed and traces that did not", arguments: [1, 2, 3] as [UInt64])
    func summariesEqualFullAssembly(seed: UInt64) throws {
        let directory = NSTemporaryDirectory() + "tracejoin-finalizer-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try IncidentStore(path: directory + "/incidents.db")
        let source = try store.registerSource(path: directory + "/input", fingerprint: "fp", size: 1)
        let records = Self.randomTraces(seed: seed, count: 300)
        let writer = store.makeWriter()
        for start in stride(from: 0, to: records.count, by: 97) {
            let batch = records[start..<min(start + 97, records.count)]
            _ = try writer.write(batch.map { SourcedRecord(sourceID: source, record: $0) }, progress: [])
        }

        let keys = try store.dirtyTraceKeys(limit: 10_000)
        let traceIDs = Set(records.map { record -> TraceID? in
            switch record {
            case .span(let span): span.traceID
            case .log(let log): if case .full(let id)? = log.trace { id } else { nil }
            case .reject: nil
            }
        })
        #expect(keys.count == traceIDs.count && keys.count > 250)
        // Small chunks, so one pass meets traces of every kind in one chunk and several chunks. Each chunk is
        // saved while the next one is read: every trace is summarised once, and none is left dirty.
        let summarised = try TraceFinalizer.finalizeDirtyTraces(in: store, chunk: 37)
        #expect(summarised == keys.count)
        #expect(try store.dirtyTraceKeys(limit: 10).isEmpty)

        var failed = 0
        for trace in try store.records(traceKeys: keys, detail: .full) {
            var expected = TraceAssembler.assembleWithSources(traceID: trace.traceID, spans: trace.spans, logs: trace.logs)
                .summary
            let saved = try #require(try store.summary(traceKey: trace.traceKey))
            if expected.isError {
                failed += 1
                #expect(saved.errorClass != nil, "trace \(trace.traceKey)")
                expected.errorClass = saved.errorClass
            }
            #expect(saved == expected, "trace \(trace.traceKey)")
        }
        // The random mix has both kinds in quantity.
        #expect(failed > 30 && failed < 270)
    }
}
