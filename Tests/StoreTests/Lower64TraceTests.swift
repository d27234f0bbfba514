import Store
import Testing
import TraceJoinCore

/// Datadog logs carry only the lower 64 bits of the trace ID, in decimal.
@Suite struct Lower64TraceTests {
    let full = TraceID(high: 0x6543_2100_0000_0000, low: 0x0000_0000_0000_04D2)

    @Test("a Datadog log joins the full trace already stored with the same lower 64 bits")
    func joinsExistingTrace() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        try temporary.write([.span(StoreSamples.span(trace: full, id: 1))], source: source)
        try temporary.write([.log(StoreSamples.log("dd log", trace: .lower64(full.low), offset: 0))], source: source)
        #expect(try temporary.store.counts().traces == 1)
        let key = try #require(temporary.store.traceKeys(for: .full(full)).first)
        let records = try temporary.store.records(traceKey: key)
        #expect(records.traceID == full)
        #expect(records.logs.map(\.message) == ["dd log"])
    }

    @Test("a provisional Datadog trace is merged when the full trace arrives later")
    func provisionalMerged() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let writer = temporary.store.makeWriter()
        func write(_ records: [Record]) throws {
            _ = try writer.write(records.map { SourcedRecord(sourceID: source, record: $0) }, progress: [])
        }
        try write([.log(StoreSamples.log("early", trace: .lower64(full.low), offset: 0))])
        let provisional = try #require(temporary.store.traceKeys(for: .lower64(full.low)).first)
        #expect(try temporary.store.records(traceKey: provisional).logs.first?.trace == .lower64(full.low))

        try write([.span(StoreSamples.span(trace: full, id: 1))])
        // After the full trace exists, the same writer sends Datadog logs straight to it.
        try write([.log(StoreSamples.log("late", trace: .lower64(full.low), offset: 100))])
        #expect(try temporary.store.counts().traces == 2)

        #expect(try temporary.store.mergeLower64Traces() == 1)
        #expect(try temporary.store.counts().traces == 1)
        let key = try #require(temporary.store.traceKeys(for: .lower64(full.low)).first)
        let records = try temporary.store.records(traceKey: key)
        #expect(records.traceID == full)
        #expect(records.spans.count == 1)
        #expect(Set(records.logs.map(\.message)) == ["early", "late"])
        #expect(try temporary.store.dirtyTraceKeys(limit: 10) == [key])

        // The writer's cache must not point at the deleted provisional row.
        try write([.log(StoreSamples.log("after merge", trace: .lower64(full.low), offset: 200))])
        #expect(try temporary.store.counts().traces == 1)
        #expect(try temporary.store.records(traceKey: key).logs.count == 3)
        #expect(try temporary.store.mergeLower64Traces() == 0)
    }

    @Test("a provisional Datadog trace is merged even when both traces were summarised before the merge")
    func provisionalMergedWhenClean() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        try temporary.write([.log(StoreSamples.log("early", trace: .lower64(full.low), offset: 0))], source: source)
        try temporary.write([.span(StoreSamples.span(trace: full, id: 1))], source: source)
        // `batch`'s background summaries save both without merging them first.
        let keys = try temporary.store.dirtyTraceKeys(limit: 10)
        #expect(keys.count == 2)
        try temporary.store.saveSummaries(keys.map { key in
            (key, TraceSummary(
                traceID: full, services: [], start: 0, end: 0, isError: false, sampled: true, spanCount: 0, logCount: 0,
                eventCount: 0))
        })
        #expect(try temporary.store.dirtyTraceKeys(limit: 10).isEmpty)

        #expect(try temporary.store.mergeLower64Traces() == 1)
        let key = try #require(temporary.store.traceKeys(for: .full(full)).first)
        #expect(try temporary.store.records(traceKey: key).logs.map(\.message) == ["early"])
        #expect(try temporary.store.dirtyTraceKeys(limit: 10) == [key], "the full trace is summarised again")
    }

    @Test("a Datadog-only trace without spans is found by its decimal ID and by the full ID")
    func provisionalFound() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        try temporary.write([.log(StoreSamples.log("only logs", trace: .lower64(full.low), offset: 0))], source: source)
        let byLower = try temporary.store.traceKeys(for: .lower64(full.low))
        #expect(byLower.count == 1)
        #expect(try temporary.store.traceKeys(for: .full(full)) == byLower)
        #expect(try temporary.store.traceKeys(for: .full(TraceID(high: 0, low: 999))).isEmpty)
    }

    @Test("a 64-bit ID finds the 128-bit trace with that lower half, full traces first")
    func shortIDFindsFullTrace() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        try temporary.write([.span(StoreSamples.span(trace: full, id: 1))], source: source)
        let fullKey = try temporary.store.traceKeys(for: .full(full))
        #expect(try temporary.store.traceKeys(for: .full(TraceID(high: 0, low: full.low))) == fullKey)

        let sixtyFour = TraceID(high: 0, low: full.low)
        try temporary.write([.span(StoreSamples.span(trace: sixtyFour, id: 2, offset: 10))], source: source)
        let exact = try temporary.store.traceKeys(for: .full(sixtyFour))
        #expect(exact.count == 1 && exact != fullKey)
        #expect(try temporary.store.traceKeys(for: .lower64(full.low)) == fullKey + exact)
    }
}
