import Normalize
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct ZipkinJSONDecoderTests {
    @Test("short IDs are left-padded, a 128-bit trace ID is read whole")
    func shortIDs() throws {
        let spans = try SpanFixtures.records("zipkin/quirks.json").spanRecords
        #expect(spans[0].traceID.hex == "00000000000000000000000000000001")
        #expect(spans[0].spanID.hex == "0000000000000002")
        #expect(spans[2].parentSpanID?.hex == "0abcdef012345678", "a 15-digit parent ID")
        #expect(spans[3].traceID.hex == "463ac35c9f6413ad48485a3953bb6124")
    }

    @Test("an 11-digit ID, which is also valid base64, is read as hex")
    func elevenDigits() throws {
        let document = try SpanFixtures.json(#"[{"traceId":"abcdef01234","id":"abcdef01234","timestamp":1}]"#)
        let span = try #require(ZipkinJSONDecoder.decode(document, origin: Samples.origin).spanRecords.first)
        #expect(span.spanID.hex == "00000abcdef01234")
        #expect(span.traceID.hex == "000000000000000000000abcdef01234")
    }

    @Test("a shared client/server pair stays two spans, the server marked as the shared half")
    func sharedPair() throws {
        let spans = try SpanFixtures.records("zipkin/quirks.json").spanRecords
        let pair = spans.filter { $0.spanID == SpanID(2) }
        #expect(pair.count == 2)
        #expect(pair.map(\.kind) == [.client, .server])
        #expect(pair.map(\.isSharedServerHalf) == [false, true])
        #expect(pair.map(\.service) == ["frontend", "backend"])
        #expect(pair[0].attributes[key: "peer.service"] == .string("backend"))
        #expect(pair[0].attributes[key: "net.peer.port"] == .int(8080))
    }

    @Test("the error tag, whatever its value, is the error status and its message")
    func errorTag() throws {
        let spans = try SpanFixtures.records("zipkin/quirks.json").spanRecords
        let server = try #require(spans.first { $0.isSharedServerHalf })
        #expect(server.status == .error)
        #expect(server.statusMessage == "user store timed out")
        #expect(server.events == [SpanEvent(time: 1_764_064_800_002_000_000, name: "wr")])
        let emptyTag = try #require(spans.first(spanHex: "a2fb4a1d1a96d313"))
        #expect(emptyTag.status == .error)
        #expect(emptyTag.statusMessage == "")
        #expect(emptyTag.durationNanos == 0, "a missing duration is zero")
        let consumer = try #require(spans.first(spanHex: "a2fb4a1d1a96d312"))
        #expect(consumer.status == .error, "otel.status_code=ERROR")
        #expect(consumer.statusMessage == "queue closed")
        #expect(spans[0].status == .unset)
    }

    @Test("PRODUCER and CONSUMER kinds; missing or \"unknown\" service names; clock skew kept")
    func kindsAndServices() throws {
        let spans = try SpanFixtures.records("zipkin/quirks.json").spanRecords
        let producer = try #require(spans.first(spanHex: "0000000000000003"))
        #expect(producer.kind == .producer)
        #expect(producer.service == "unknown_service")
        #expect(producer.startTime < spans[0].startTime, "a child that starts before its parent is kept as is")
        let consumer = try #require(spans.first(spanHex: "a2fb4a1d1a96d312"))
        #expect(consumer.kind == .consumer)
        #expect(consumer.service == "unknown_service")
        #expect(consumer.durationNanos == 20_000)
    }

    @Test("a span with an unreadable trace ID is rejected and the others kept")
    func rejects() throws {
        let records = try SpanFixtures.records("zipkin/quirks.json")
        #expect(records.spanRecords.count == 5)
        #expect(records.rejectedRecords.map(\.reason) == ["Zipkin span has no valid traceId"])
        #expect(records.rejectedRecords.first?.origin.ordinal == 5)
    }

    @Test("a late half without timestamp is placed at its first annotation, or rejected without one")
    func missingTimestamp() throws {
        let document = try SpanFixtures.json(
            """
            [{"traceId":"1","id":"2","annotations":[{"timestamp":30,"value":"sr"},{"timestamp":20,"value":"cs"}]},
             {"traceId":"1","id":"3"}, {"traceId":"1","id":"4","timestamp":"soon"}]
            """)
        let records = ZipkinJSONDecoder.decode(document, origin: Samples.origin)
        #expect(records.spanRecords.map(\.startTime) == [20_000])
        #expect(
            records.rejectedRecords.map(\.reason) == [
                "Zipkin span has no timestamp or annotations", "Zipkin span timestamp is not a number of microseconds",
            ])
    }
}
