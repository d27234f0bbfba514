import Store
import Testing
import TraceJoinCore

@Suite struct IngestWriterTests {
    private func night(source: String = "app.log") -> [Record] {
        [
            .span(StoreSamples.span(id: 1, offset: 0)),
            .span(
                StoreSamples.span(
                    id: 2, parent: 1, status: .error,
                    events: [
                        SpanEvent(
                            time: 1_200, name: "exception", attributes: [Attribute("exception.type", .string("E"))])
                    ],
                    offset: 100)),
            .log(StoreSamples.log("charging card", trace: .full(StoreSamples.traceB), offset: 0, source: source)),
            .log(StoreSamples.log("no trace here", offset: 100, source: source)),
            .reject(
                RejectedRecord(origin: InputLocation(source: source, line: 3, byteOffset: 200), reason: "bad", raw: "{")
            ),
        ]
    }

    @Test("writing the same records twice leaves the same rows")
    func idempotent() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let first = try temporary.write(night(), source: source)
        let before = try IncidentStore.tableNames.map { try temporary.dump($0) }
        let second = try temporary.write(night(), source: source)
        let after = try IncidentStore.tableNames.map { try temporary.dump($0) }
        #expect(before == after)
        #expect(first.spansInserted == 2 && first.logsInserted == 2 && first.rejectsInserted == 1)
        #expect(second.spansInserted == 0 && second.spansDuplicate == 2 && second.logsDuplicate == 2)
        #expect(second.eventsInserted == 0)
    }

    @Test("a fresh writer on a reopened database writes the same rows again idempotently")
    func idempotentAcrossWriters() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        try temporary.write(night(), source: source)
        let reopened = try IncidentStore(path: temporary.path)
        let stats = try reopened.makeWriter().write(
            night().map { SourcedRecord(sourceID: source, record: $0) }, progress: [])
        #expect(stats.tracesCreated == 0)
        #expect(try reopened.counts() == temporary.store.counts())
        #expect(try reopened.counts().traces == 1)
    }

    @Test("a span exported twice is stored once, with its events once")
    func duplicateSpans() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let event = SpanEvent(time: 1_100, name: "exception")
        let span = StoreSamples.span(id: 7, status: .error, events: [event], offset: 0)
        var again = span
        again.origin = InputLocation(source: "other-format.json", line: 9, byteOffset: 900)
        let stats = try temporary.write([.span(span), .span(again)], source: source)
        #expect(stats.spansInserted == 1 && stats.spansDuplicate == 1 && stats.eventsInserted == 1)
        let key = try #require(temporary.store.traceKeys(for: .full(StoreSamples.traceB)).first)
        let records = try temporary.store.records(traceKey: key)
        #expect(records.spans.count == 1)
        #expect(records.spans.first?.events == [event])
    }

    @Test("a Zipkin shared client/server pair with one span ID stays two spans")
    func sharedPair() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let client = StoreSamples.span(id: 9, events: [SpanEvent(time: 1_001, name: "cs")])
        let server = StoreSamples.span(id: 9, shared: true, events: [SpanEvent(time: 1_002, name: "sr")])
        try temporary.write([.span(client), .span(server), .span(server)], source: source)
        let key = try #require(temporary.store.traceKeys(for: .full(StoreSamples.traceB)).first)
        let spans = try temporary.store.records(traceKey: key).spans
        #expect(spans.count == 2)
        #expect(Set(spans.map(\.isSharedServerHalf)) == [false, true])
        #expect(spans.first { $0.isSharedServerHalf }?.events.map(\.name) == ["sr"])
        #expect(spans.first { !$0.isSharedServerHalf }?.events.map(\.name) == ["cs"])
    }

    @Test("a batch's rows and its source progress commit together or not at all")
    func atomicBatch() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let writer = temporary.store.makeWriter()
        let batch = night().map { SourcedRecord(sourceID: source, record: $0) }
        // Progress for a source that was never registered fails after every row was inserted.
        let bogus = SourceProgress(sourceID: source + 99, checkpointOffset: 300, complete: true, records: 4)
        let mine = SourceProgress(sourceID: source, checkpointOffset: 300, complete: true, records: 4, rejects: 1)
        #expect(throws: StoreError.self) { try writer.write(batch, progress: [mine, bogus]) }
        #expect(try temporary.store.counts() == emptyCounts(sources: 1))
        #expect(try temporary.store.checkpoint(sourceID: source) == 0)
        #expect(try !temporary.store.completedSource(fingerprint: "fp-app.log", size: 1_000))

        // The same writer recovers: keys it handed out inside the rolled-back batch are forgotten.
        let stats = try writer.write(batch, progress: [mine])
        #expect(stats.tracesCreated == 1)
        #expect(try temporary.store.checkpoint(sourceID: source) == 300)
        #expect(try temporary.store.completedSource(fingerprint: "fp-app.log", size: 1_000))
        let key = try #require(temporary.store.traceKeys(for: .full(StoreSamples.traceB)).first)
        #expect(try temporary.store.records(traceKey: key).spans.count == 2)
    }

    @Test("traces touched by a batch are dirty until their summary is saved")
    func dirtyTraces() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let other = TraceID(high: 1, low: 2)
        try temporary.write(
            [.span(StoreSamples.span(id: 1)), .span(StoreSamples.span(trace: other, id: 1))], source: source)
        let dirty = try temporary.store.dirtyTraceKeys(limit: 10)
        #expect(dirty.count == 2)
        let first = try temporary.store.records(traceKey: dirty[0])
        let summary = TraceSummary(
            traceID: first.traceID, services: ["api"], start: 1_000, end: 1_500, isError: false, sampled: true,
            spanCount: 1, logCount: 0, eventCount: 0)
        try temporary.store.saveSummaries([(dirty[0], summary)])
        #expect(try temporary.store.dirtyTraceKeys(limit: 10) == [dirty[1]])
        #expect(try temporary.store.summary(traceKey: dirty[0]) == summary)
        #expect(try temporary.store.summary(traceKey: dirty[1]) == nil)
    }

    @Test(
        "a trace that gains rows while its summary is computed stays dirty; once summarised, new rows make it dirty again",
        arguments: [true, false])
    func lateRowsKeepTraceDirty(keepsIdleClock: Bool) throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let writer = temporary.store.makeWriter(keepsIdleClock: keepsIdleClock)
        func write(spanID: UInt64) throws {
            let span = StoreSamples.span(id: spanID, offset: Int64(spanID) * 50)
            _ = try writer.write([SourcedRecord(sourceID: source, record: .span(span))], progress: [])
        }
        func summarise(_ read: (traceID: TraceID, spans: [SpanRecord], logs: [LogRecord])) -> TraceSummary {
            TraceSummary(
                traceID: read.traceID, services: ["api"], start: 1_000, end: 1_500, isError: false, sampled: true,
                spanCount: read.spans.count, logCount: 0, eventCount: 0)
        }
        try write(spanID: 1)
        try write(spanID: 2)  // a second transaction: the trace is dirty already
        let key = try #require(temporary.store.dirtyTraceKeys(limit: 1).first)
        let read = try temporary.store.records(traceKey: key)
        try write(spanID: 3)
        try temporary.store.saveSummaries([(key, summarise(read))])
        #expect(try temporary.store.dirtyTraceKeys(limit: 1) == [key])

        try temporary.store.saveSummaries([(key, summarise(try temporary.store.records(traceKey: key)))])
        #expect(try temporary.store.dirtyTraceKeys(limit: 1).isEmpty)
        try write(spanID: 4)
        #expect(try temporary.store.dirtyTraceKeys(limit: 1) == [key])
    }

    @Test("a batch that only repeats stored rows leaves summaries clean")
    func duplicatesDoNotDirty() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        try temporary.write(night(), source: source)
        let key = try #require(temporary.store.dirtyTraceKeys(limit: 1).first)
        let read = try temporary.store.records(traceKey: key)
        try temporary.store.saveSummaries([
            (
                key,
                TraceSummary(
                    traceID: read.traceID, services: [], start: 0, end: 0, isError: true, sampled: true,
                    spanCount: 2, logCount: 1, eventCount: 1)
            )
        ])
        try temporary.write(night(), source: source)
        #expect(try temporary.store.dirtyTraceKeys(limit: 1).isEmpty)
    }

    private func emptyCounts(sources: Int) -> StoreCounts {
        var counts = StoreCounts()
        counts.sources = sources
        return counts
    }
}

@Suite struct ConcurrentReaderTests {
    @Test("a query opened on the same file sees each batch as soon as it is committed")
    func readerSeesCommittedBatches() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let reader = try IncidentStore.openExisting(path: temporary.path)
        let writer = temporary.store.makeWriter()
        for batch in 0..<3 {
            let log = StoreSamples.log("batch \(batch)", trace: .full(StoreSamples.traceB), offset: Int64(batch) * 100)
            _ = try writer.write(
                [SourcedRecord(sourceID: source, record: .log(log))],
                progress: [SourceProgress(sourceID: source, checkpointOffset: Int64(batch + 1) * 100, complete: false)])
            let key = try #require(reader.traceKeys(for: .full(StoreSamples.traceB)).first)
            #expect(try reader.records(traceKey: key).logs.count == batch + 1)
            #expect(try reader.checkpoint(sourceID: source) == Int64(batch + 1) * 100)
        }
    }
}

@Suite struct LogGroupTests {
    private func logs(_ range: Range<Int>, trace: TraceID) -> [Record] {
        range.map { index in
            var log = StoreSamples.log(
                String(repeating: "m", count: index * 300), trace: .full(trace), offset: Int64(index) * 1_000)
            log.attributes = [Attribute("n", .int(Int64(index)))]
            return .log(log)
        }
    }

    @Test("many logs, some already stored, are each stored once and counted right")
    func partialDuplicateGroups() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let first = try temporary.write(logs(0..<50, trace: StoreSamples.traceB), source: source)
        #expect(first.logsInserted == 50)
        let key = try #require(temporary.store.dirtyTraceKeys(limit: 1).first)
        let read = try temporary.store.records(traceKey: key)
        try temporary.store.saveSummaries([
            (
                key,
                TraceSummary(
                    traceID: read.traceID, services: [], start: 0, end: 0, isError: false, sampled: false,
                    spanCount: 0, logCount: 50, eventCount: 0)
            )
        ])

        let second = try temporary.write(logs(0..<100, trace: StoreSamples.traceB), source: source)
        #expect(second.logsInserted == 50 && second.logsDuplicate == 50)
        #expect(try temporary.store.dirtyTraceKeys(limit: 1) == [key])
        let stored = try temporary.store.records(traceKey: key).logs
        #expect(stored.map { $0.attributes[key: "n"] } == (0..<100).map { .int(Int64($0)) })
        #expect(stored.map(\.message.count) == (0..<100).map { $0 * 300 })

        let third = try temporary.write(logs(0..<100, trace: StoreSamples.traceB), source: source)
        #expect(third.logsInserted == 0 && third.logsDuplicate == 100)
    }
}

@Suite struct SpanGroupTests {
    private func spans(_ ids: [UInt64]) -> [Record] {
        ids.map { id in
            .span(
                StoreSamples.span(
                    id: id, start: Int64(id) * 10,
                    events: [SpanEvent(time: Int64(id) * 10 + 1, name: "e\(id)")], offset: Int64(id) * 100))
        }
    }

    @Test("spans written in groups, some already stored or repeated, get their events exactly once")
    func partialDuplicateGroups() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let first = try temporary.write(spans(Array(0..<10)), source: source)
        #expect(first.spansInserted == 10 && first.eventsInserted == 10)

        // 0..<40 again, with span 20 repeated inside the same group of 16 as new and old spans.
        var ids = Array(0..<40).map(UInt64.init)
        ids.insert(20, at: 18)
        let second = try temporary.write(spans(ids), source: source)
        #expect(second.spansInserted == 30 && second.spansDuplicate == 11)
        #expect(second.eventsInserted == 30)

        let third = try temporary.write(spans(ids), source: source)
        #expect(third.spansInserted == 0 && third.eventsInserted == 0)

        let key = try #require(temporary.store.traceKeys(for: .full(StoreSamples.traceB)).first)
        let stored = try temporary.store.records(traceKey: key).spans
        #expect(stored.map(\.spanID.value) == Array(0..<40))
        #expect(stored.allSatisfy { $0.events.map(\.name) == ["e\($0.spanID.value)"] })
        #expect(try temporary.store.counts().spanEvents == 40)
    }
}
