import Store
import Testing
import TraceJoinCore

@Suite struct BulkReadTests {
    /// 60 traces, each with one span and two logs, written interleaved as a night's files would be.
    static func sixtyTraces(_ temporary: TemporaryStore) throws -> [TraceID] {
        let source = try temporary.source()
        let traces = (1...60).map { TraceID(high: 7, low: UInt64($0)) }
        var records: [Record] = []
        for (index, trace) in traces.enumerated() {
            let offset = Int64(index) * 1_000
            records.append(.span(StoreSamples.span(trace: trace, id: UInt64(index + 1), offset: offset)))
            records.append(.log(StoreSamples.log("first of \(index)", trace: .full(trace), offset: offset + 1)))
            records.append(.log(StoreSamples.log("second of \(index)", trace: .full(trace), offset: offset + 2)))
        }
        _ = try temporary.write(records, source: source)
        return traces
    }

    @Test("reading scattered traces gives each exactly its own rows, as reading it alone does")
    func scatteredKeys() throws {
        let temporary = try TemporaryStore()
        let traces = try Self.sixtyTraces(temporary)
        var keys: [Int64] = []
        for trace in traces { keys.append(contentsOf: try temporary.store.traceKeys(for: .full(trace))) }
        // Gaps below and above the run gap, a lone key at each end, and a stretch of neighbours.
        let wanted = [keys[0], keys[3], keys[20], keys[21], keys[22], keys[40], keys[59]]

        let together = try temporary.store.records(traceKeys: wanted.reversed())
        #expect(together.map(\.traceKey) == wanted)
        for trace in together {
            let alone = try temporary.store.records(traceKey: trace.traceKey)
            #expect(trace.traceID == alone.traceID)
            #expect(trace.spans.map(\.spanID) == alone.spans.map(\.spanID))
            #expect(trace.logs.map(\.message) == alone.logs.map(\.message))
            #expect(trace.logs.count == 2 && trace.spans.count == 1)
            let index = traces.firstIndex(of: trace.traceID)!
            #expect(Set(trace.logs.map(\.message)) == ["first of \(index)", "second of \(index)"])
        }
    }

    @Test("outlines of a chunk carry each trace's log times, severities and services")
    func outlines() throws {
        let temporary = try TemporaryStore()
        let traces = try Self.sixtyTraces(temporary)
        let keys = try traces.flatMap { try temporary.store.traceKeys(for: .full($0)) }
        let outlines = try temporary.store.outlines(traceKeys: keys)
        #expect(outlines.count == 60)
        #expect(outlines.allSatisfy { $0.hasSpans && $0.logs.count == 2 })
        #expect(outlines.allSatisfy { $0.logs.allSatisfy { $0.service == "api" && $0.severity == .info } })
    }
}
