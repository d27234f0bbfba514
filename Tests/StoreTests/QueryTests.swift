import Store
import Testing
import TraceJoinCore

@Suite struct QueryTests {
    @Test("uncorrelated logs are found by service and time, correlated ones are not")
    func uncorrelatedLogs() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        try temporary.write(
            [
                .log(StoreSamples.log("a1", offset: 0, service: "api", time: 100)),
                .log(StoreSamples.log("w1", offset: 100, service: "worker", time: 150)),
                .log(StoreSamples.log("a2", offset: 200, service: "api", time: 200)),
                .log(StoreSamples.log("a3", offset: 300, service: "api", time: 300)),
                .log(
                    StoreSamples.log(
                        "traced", trace: .full(StoreSamples.traceB), offset: 400, service: "api", time: 250)),
                .log(StoreSamples.log("no time", offset: 500, service: "api", time: nil)),
                .log(StoreSamples.log("zero id", trace: .full(TraceID(high: 0, low: 0)), offset: 600, service: "zero")),
                .log(StoreSamples.log("zero dd", trace: .lower64(0), offset: 700, service: "zero")),
            ], source: source)
        #expect(try temporary.store.counts().traces == 1)
        #expect(
            try temporary.store.uncorrelatedLogs(service: "zero", since: nil, until: nil, limit: 10).map(\.message)
                == ["zero id", "zero dd"])
        let store = temporary.store
        #expect(try store.uncorrelatedLogs(service: "api", since: 150, until: 300, limit: 10).map(\.message) == ["a2"])
        #expect(try store.uncorrelatedLogs(service: "api", since: nil, until: nil, limit: 10).count == 4)
        #expect(
            try store.uncorrelatedLogs(service: nil, since: 100, until: nil, limit: 2).map(\.message) == ["a1", "w1"])
        #expect(try store.uncorrelatedLogs(service: "worker", since: nil, until: nil, limit: 10).first?.trace == nil)
        #expect(try store.counts().uncorrelatedLogs == 7)
    }

    @Test("incidents lists error traces newest first and filters by time, service, class and limit")
    func incidents() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let traces = (1...4).map { TraceID(high: 7, low: UInt64($0)) }
        try temporary.write(
            traces.enumerated().map { index, trace in
                .span(StoreSamples.span(trace: trace, id: 1, start: Int64(index) * 1_000, offset: Int64(index)))
            }, source: source)
        let keys = try temporary.store.dirtyTraceKeys(limit: 10)
        #expect(keys.count == 4)
        let summaries: [(traceKey: Int64, summary: TraceSummary)] = try keys.enumerated().map { index, key in
            let records = try temporary.store.records(traceKey: key)
            return (
                key,
                TraceSummary(
                    traceID: records.traceID, services: index == 2 ? ["api", "payment-service"] : ["api"],
                    start: Int64(index) * 1_000, end: Int64(index) * 1_000 + 500, isError: index != 1, sampled: true,
                    spanCount: 1, logCount: 0, eventCount: 0, errorClass: index == 0 ? "timeout" : nil,
                    rootCause: RootCause(service: "api", spanID: SpanID(1), name: "op-1", message: "boom"))
            )
        }
        try temporary.store.saveSummaries(summaries)
        let store = temporary.store
        #expect(try store.incidents(IncidentFilter()).map(\.traceID) == [traces[3], traces[2], traces[0]])
        #expect(try store.incidents(IncidentFilter(since: 1_000)).map(\.traceID) == [traces[3], traces[2]])
        #expect(try store.incidents(IncidentFilter(until: 2_000)).map(\.traceID) == [traces[0]])
        #expect(try store.incidents(IncidentFilter(service: "payment-service")).map(\.traceID) == [traces[2]])
        #expect(try store.incidents(IncidentFilter(service: "payment")).isEmpty)
        #expect(try store.incidents(IncidentFilter(errorClass: "timeout")).map(\.traceID) == [traces[0]])
        #expect(try store.incidents(IncidentFilter(limit: 1)).map(\.traceID) == [traces[3]])
        let first = try #require(store.incidents(IncidentFilter(limit: 1)).first)
        #expect(first == summaries[3].summary)
        #expect(try store.counts().incidents == 3)
    }

    @Test("a trace with logs but no spans can be saved as unsampled and counted")
    func unsampled() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        try temporary.write(
            [.log(StoreSamples.log("sampled out", trace: .full(StoreSamples.traceB), offset: 0))], source: source)
        let key = try #require(temporary.store.dirtyTraceKeys(limit: 1).first)
        let records = try temporary.store.records(traceKey: key)
        #expect(records.spans.isEmpty && records.logs.count == 1)
        try temporary.store.saveSummaries([
            (
                key,
                TraceSummary(
                    traceID: records.traceID, services: ["api"], start: 2, end: 2, isError: false,
                    sampled: false, spanCount: 0, logCount: 1, eventCount: 0)
            )
        ])
        #expect(try temporary.store.counts().unsampled == 1)
        #expect(try temporary.store.summary(traceKey: key)?.sampled == false)
    }
}
