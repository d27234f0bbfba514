import Store
import Testing
import TraceJoinCore

@Suite struct RecordsRoundTripTests {
    static let everyKind: [Attribute] = [
        Attribute("string", .string("käse \"quoted\"\n\t\u{1}")),
        Attribute("empty", .string("")),
        Attribute("true", .bool(true)),
        Attribute("false", .bool(false)),
        Attribute("int", .int(42)),
        Attribute("int.min", .int(.min)),
        Attribute("int.max", .int(.max)),
        Attribute("double", .double(0.1)),
        Attribute("double.integral", .double(3)),
        Attribute("double.huge", .double(1e300)),
        Attribute("double.negativeZero", .double(-0.0)),
        Attribute("double.infinity", .double(.infinity)),
        Attribute("double.minusInfinity", .double(-.infinity)),
        Attribute("bytes", .bytes([0, 1, 0xFE, 0xFF])),
        Attribute("bytes.empty", .bytes([])),
        Attribute("null", .null),
        Attribute("array", .array([.int(1), .string("two"), .double(3.5), .array([]), .null])),
        Attribute("kvlist", .keyValueList([Attribute("nested", .keyValueList([Attribute("deep", .bool(true))]))])),
        Attribute("kvlist.empty", .keyValueList([])),
        Attribute("kvlist.tagLike", .keyValueList([Attribute("$bytes", .string("not bytes"))])),
        Attribute("duplicate", .int(1)),
        Attribute("duplicate", .int(2)),
    ]

    @Test("spans, events, links, logs and attributes of every AnyValue kind read back as written")
    func roundTrip() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source("spans.json")
        let trace = TraceID(high: 0xFFFF_FFFF_FFFF_FFFF, low: 0x8000_0000_0000_0001)
        let span = SpanRecord(
            traceID: trace, spanID: SpanID(0xFFFF_0000_0000_0001), parentSpanID: SpanID(0x8000_0000_0000_0000),
            service: "payment-service", name: "POST /charge", kind: .server, startTime: 1_700_000_000_123_456_789,
            endTime: 1_700_000_000_223_456_789, status: .error, statusMessage: "card declined",
            attributes: Self.everyKind, resource: [Attribute("service.name", .string("payment-service"))],
            scope: "io.opentelemetry.http",
            events: [
                SpanEvent(time: 1_700_000_000_200_000_000, name: "exception", attributes: Self.everyKind),
                SpanEvent(time: 1_700_000_000_100_000_000, name: "retry"),
            ],
            links: [
                SpanLink(
                    traceID: TraceID(high: 0, low: 5), spanID: SpanID(6), kind: "FOLLOWS_FROM",
                    attributes: [Attribute("why", .string("batch"))])
            ],
            flags: 768,
            origin: InputLocation(source: "spans.json", line: 3, byteOffset: 4_096, ordinal: 2))
        let log = LogRecord(
            time: 1_700_000_000_150_000_000, severity: .error, severityText: "ERROR", message: "charge failed\nstack",
            service: "payment-service", serviceFromFileName: true, trace: .full(trace), spanID: span.spanID,
            sampled: true, attributes: Self.everyKind,
            origin: InputLocation(source: "spans.json", line: 9, byteOffset: 8_000, ordinal: 1))
        try temporary.write([.span(span), .log(log)], source: source)

        let key = try #require(temporary.store.traceKeys(for: .full(trace)).first)
        let records = try temporary.store.records(traceKey: key)
        #expect(records.traceID == trace)
        let stored = try #require(records.spans.first)
        #expect(records.spans.count == 1)
        #expect(stored.traceID == span.traceID)
        #expect(stored.spanID == span.spanID)
        #expect(stored.parentSpanID == span.parentSpanID)
        #expect(stored.service == span.service)
        #expect(stored.name == span.name)
        #expect(stored.kind == span.kind)
        #expect(stored.startTime == span.startTime && stored.endTime == span.endTime)
        #expect(stored.status == span.status && stored.statusMessage == span.statusMessage)
        #expect(stored.attributes == span.attributes)
        #expect(stored.resource == span.resource)
        #expect(stored.scope == span.scope)
        #expect(stored.events == span.events)
        #expect(stored.links == span.links)
        #expect(stored.flags == span.flags)
        #expect(stored.isSharedServerHalf == false)
        #expect(
            stored.origin
                == InputLocation(source: temporary.directory + "/spans.json", line: 3, byteOffset: 4_096, ordinal: 2))

        let storedLog = try #require(records.logs.first)
        #expect(storedLog.time == log.time)
        #expect(storedLog.severity == log.severity && storedLog.severityText == log.severityText)
        #expect(storedLog.message == log.message)
        #expect(storedLog.service == log.service && storedLog.serviceFromFileName)
        #expect(storedLog.trace == .full(trace))
        #expect(storedLog.spanID == log.spanID)
        #expect(storedLog.sampled == true)
        #expect(storedLog.attributes == log.attributes)
        #expect(storedLog.origin.line == 9 && storedLog.origin.byteOffset == 8_000 && storedLog.origin.ordinal == 1)
    }

    @Test("integers are stored in decimal, as JSON that SQLite reads as the same numbers")
    func integersAsStored() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let values: [Int64] = [0, 7, -7, 9, 10, -10, 99, 100, 1_234_567_890, -1_000_000_000_000, .max, .min]
        var log = StoreSamples.log("counts", offset: 0)
        log.trace = .full(StoreSamples.traceB)
        log.attributes = values.enumerated().map { Attribute("n\($0.offset)", .int($0.element)) }
        try temporary.write([.log(log)], source: source)
        // As the row's description quotes the column: with its quotes escaped.
        let expected = values.enumerated().map { #"\"n\#($0.offset)\":\#($0.element)"# }.joined(separator: ",")
        let rows = try temporary.store.debugRows("logs")
        #expect(rows.count == 1 && rows.allSatisfy { $0.contains("{\(expected)}") }, "\(rows)")
        let key = try #require(temporary.store.traceKeys(for: .full(StoreSamples.traceB)).first)
        #expect(try temporary.store.records(traceKey: key).logs.first?.attributes == log.attributes)
    }

    @Test("NaN survives as a double")
    func notANumber() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        var log = StoreSamples.log("nan", offset: 0)
        log.attributes = [Attribute("ratio", .double(.nan))]
        try temporary.write([.log(log)], source: source)
        let stored = try #require(
            temporary.store.uncorrelatedLogs(service: nil, since: nil, until: nil, limit: 1).first)
        guard case .double(let value) = stored.attributes.first?.value else {
            Issue.record("expected a double")
            return
        }
        #expect(value.isNaN)
    }

    @Test("an empty and an unset attribute list, status message and scope read back empty")
    func emptyValues() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let span = StoreSamples.span(id: 1)
        try temporary.write([.span(span)], source: source)
        let key = try #require(temporary.store.traceKeys(for: .full(StoreSamples.traceB)).first)
        let stored = try #require(temporary.store.records(traceKey: key).spans.first)
        #expect(stored.attributes.isEmpty && stored.resource.isEmpty && stored.links.isEmpty && stored.events.isEmpty)
        #expect(stored.statusMessage == "" && stored.scope == "" && stored.parentSpanID == nil)
    }
}

@Suite struct LargeAndEmptyTextTests {
    @Test("messages of every size, from empty to larger than the bind arena, are stored intact")
    func textSizes() throws {
        let temporary = try TemporaryStore()
        let source = try temporary.source()
        let sizes = [0, 1, 65_535, 65_536, 200_000]
        let messages = sizes.map { size in
            String(repeating: "é", count: size / 2) + String(repeating: "x", count: size % 2)
        }
        var logs: [Record] = []
        for (index, message) in messages.enumerated() {
            var log = StoreSamples.log(message, offset: Int64(index) * 10, service: "svc-\(index)")
            log.severityText = ""
            log.attributes = [Attribute("big", .string(message))]
            logs.append(.log(log))
        }
        try temporary.write(logs, source: source)
        let stored = try temporary.store.uncorrelatedLogs(service: nil, since: nil, until: nil, limit: 10)
        #expect(stored.map(\.message) == messages)
        #expect(stored.map(\.service) == sizes.indices.map { "svc-\($0)" })
        #expect(stored.allSatisfy { $0.severityText == "" })
        #expect(stored.map { $0.attributes[key: "big"] } == messages.map { .string($0) })
    }
}
