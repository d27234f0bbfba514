import Normalize
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct JaegerJSONDecoderTests {
    @Test("Jaeger's ui_01.json: 64-bit trace ID, duplicate span ID, processes, microseconds")
    func uiFixture() throws {
        let records = try SpanFixtures.records("jaeger/ui_01.json")
        let spans = records.spanRecords
        #expect(records.rejectedRecords.isEmpty)
        #expect(spans.count == 5)
        #expect(spans.allSatisfy { $0.traceID == TraceID(high: 0, low: 1) }, "a 64-bit ID is the lower half")
        #expect(spans.filter { $0.spanID == SpanID(2) }.count == 2, "both spans with the duplicate ID are kept")
        #expect(spans.map(\.service) == ["service-x", "service-x", "service-y", "service-y", "service-y"])
        #expect(spans[0].startTime == 1_485_467_191_639_875_000)
        #expect(spans[0].durationNanos == 5_000)
        #expect(spans.map(\.origin.ordinal) == [0, 1, 2, 3, 4])
    }

    @Test("typed tags: int64 as a string, float64, binary as base64, and the error tag")
    func tags() throws {
        let span = try #require(try SpanFixtures.records("jaeger/ui_01.json").spanRecords.dropFirst().first)
        #expect(span.attributes[key: "peer.ipv4"] == .int(23456))
        #expect(span.attributes[key: "javascript_limit"] == .int(9_223_372_036_854_775_222))
        #expect(span.attributes[key: "temperature"] == .double(72.5))
        #expect(span.attributes[key: "blob"] == .bytes([0x00, 0x00, 0x30, 0x39]))
        #expect(span.attributes[key: "error"] == .bool(true))
        #expect(span.status == .error)
    }

    @Test("span logs become events named by their event field")
    func logs() throws {
        let span = try #require(try SpanFixtures.records("jaeger/ui_01.json").spanRecords.first)
        #expect(span.events.map(\.name) == ["some-event", "log"])
        #expect(span.events.first?.time == 1_485_467_191_639_875_000)
        #expect(span.events.last?.attributes == [Attribute("x", .string("y"))])
    }

    @Test("references: same-trace CHILD_OF is the parent; a cross-trace CHILD_OF and FOLLOWS_FROM are links")
    func references() throws {
        let spans = try SpanFixtures.records("jaeger/ui_01.json").spanRecords
        let span = try #require(spans.first(spanHex: "0000000000000004"))
        #expect(span.parentSpanID == SpanID(2))
        #expect(
            span.links == [
                SpanLink(traceID: TraceID(high: 0, low: 0xff), spanID: SpanID(0xff), kind: "child_of"),
                SpanLink(traceID: TraceID(high: 0, low: 1), spanID: SpanID(2), kind: "follows_from"),
            ])
        #expect(spans.first(spanHex: "0000000000000005")?.parentSpanID == SpanID(4))
    }

    @Test("bare spans with inline process: string \"true\" error, error event, FOLLOWS_FROM parent, old parentSpanID")
    func bareSpans() throws {
        let records = try SpanFixtures.records("jaeger/bare-spans-quirks.json")
        let spans = records.spanRecords
        #expect(spans.count == 3)
        #expect(records.rejectedRecords.map(\.reason) == ["Jaeger span has no valid traceID"])

        let charge = try #require(spans.first(spanHex: "a000000000000001"))
        #expect(charge.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736", "upper-case 128-bit IDs are read")
        #expect(charge.service == "payment-go")
        #expect(charge.resource == [Attribute("hostname", .string("pay-1"))])
        #expect(charge.kind == .server)
        #expect(charge.status == .error)
        #expect(charge.statusMessage == "card declined")
        #expect(charge.attributes[key: "retries"] == .int(3))
        #expect(charge.events.map(\.isError) == [true, false], "an event=error span log is an error event")
        #expect(charge.flags == 1)

        let publish = try #require(spans.first(spanHex: "a000000000000002"))
        #expect(publish.parentSpanID == charge.spanID, "FOLLOWS_FROM is the parent when there is no CHILD_OF")
        #expect(publish.links.isEmpty)
        #expect(publish.kind == .producer)
        #expect(publish.status == .error, "otel.status_code=ERROR")

        let legacy = try #require(spans.first(spanHex: "a000000000000003"))
        #expect(legacy.parentSpanID == charge.spanID)
        #expect(legacy.service == "unknown_service")
    }

    @Test("Jaeger's anonymizer sample with inline process and error tag \"true\" decodes")
    func anonymizerSuccess() throws {
        let spans = try SpanFixtures.records("jaeger/malformed/trace_success.json").spanRecords
        #expect(spans.count == 2)
        #expect(spans.map(\.kind) == [.server, .client])
        #expect(spans.map(\.status) == [.unset, .error])
        #expect(spans[1].parentSpanID == spans[0].spanID)
        #expect(spans[0].traceID.hex == "00000000000000002be38093ead7a083")
    }

    @Test(
        "malformed Jaeger files give clear rejects, never a crash",
        arguments: [
            ("trace_empty.json", "the document is empty: no spans to read"),
            ("trace_invalid_json.json", "Jaeger span duration is not a number of microseconds"),
            ("trace_scan_error.json", "document is not valid JSON: invalid JSON at byte 79: unexpected character"),
            (
                "trace_wrong_format.json",
                "not a Jaeger export: expected {\"data\": [...]}, a trace with \"spans\", or an array of spans"
            ),
        ])
    func malformed(file: String, reason: String) throws {
        let path = FixturePaths.fixture("formats/spans/jaeger/malformed/" + file)
        let records = try SpanFixtures.records(atPath: path, override: .jaegerJSON)
        #expect(records.rejectedRecords.map(\.reason) == [reason])
        #expect(records.rejectedRecords.allSatisfy { $0.origin.source == path })
        #expect(records.spanRecords.isEmpty)
    }

    @Test("sniffed without --format, the broken Jaeger files still end in a reject, not a crash")
    func malformedSniffed() throws {
        let directory = FixturePaths.fixture("formats/spans/jaeger/malformed/")
        let scanError = try SpanFixtures.records(atPath: directory + "trace_scan_error.json")
        #expect(
            scanError.rejectedRecords.map(\.reason) == [
                "document is not valid JSON: invalid JSON at byte 79: unexpected character"
            ])
        let invalid = try SpanFixtures.records(atPath: directory + "trace_invalid_json.json")
        #expect(invalid.rejectedRecords.map(\.reason) == ["Jaeger span duration is not a number of microseconds"])
    }

    @Test("a span without its own traceID takes its trace's; a trace-level traceID never overrides a bad one")
    func traceLevelID() throws {
        let document = try SpanFixtures.json(
            """
            {"data":[{"traceID":"00000000000000aa","processes":{"p1":{"serviceName":"svc"}},"spans":[
            {"spanID":"0000000000000001","startTime":1,"processID":"p1"},
            {"traceID":"oops","spanID":"0000000000000002","startTime":1,"processID":"p1"}]}]}
            """)
        let records = JaegerJSONDecoder.decode(document, origin: Samples.origin)
        #expect(records.spanRecords.map(\.traceID) == [TraceID(high: 0, low: 0xaa)])
        #expect(records.spanRecords.map(\.service) == ["svc"])
        #expect(records.rejectedRecords.map(\.reason) == ["Jaeger span has no valid traceID"])
        #expect(records.recordOrigins.map(\.ordinal) == [0, 1])
    }

    @Test("the query API's not-found answer is one reject with its code")
    func apiError() throws {
        let records = try SpanFixtures.records("jaeger/api-error.json")
        #expect(records.rejectedRecords.map(\.reason) == ["Jaeger response reports 1 error(s) (code 404)"])
    }
}
