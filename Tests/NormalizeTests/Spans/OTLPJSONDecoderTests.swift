import Normalize
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct OTLPJSONDecoderTests {
    @Test("the proto repo's example: upper-case hex IDs, an orphan parent kept, service and scope")
    func protoExample() throws {
        let spans = try SpanFixtures.records("otlp/trace.json").spanRecords
        let span = try #require(spans.first)
        #expect(spans.count == 1)
        #expect(span.traceID.hex == "5b8efff798038103d269b633813fc60c")
        #expect(span.spanID.hex == "eee19b7ec3c1b174")
        #expect(span.parentSpanID?.hex == "eee19b7ec3c1b173")
        #expect(span.service == "my.service")
        #expect(span.scope == "my.library@1.0.0")
        #expect(span.kind == .server)
        #expect(span.startTime == 1_544_712_660_000_000_000)
        #expect(span.durationNanos == 1_000_000_000)
        #expect(span.attributes == [Attribute("my.span.attr", .string("some value"))])
        #expect(span.resource[key: "service.name"] == .string("my.service"))
        #expect(span.status == .unset)
    }

    @Test("the Java SDK's logging-otlp lines: a bare ResourceSpans and a bare ResourceLogs per line")
    func bareResourceLines() throws {
        let records = try SpanFixtures.records("otlp-quirks/java-logging-otlp.jsonl")
        let span = try #require(records.spanRecords.first)
        #expect(records.spanRecords.count == 1)
        #expect(span.traceID.hex == "f1f92f3577b34da6a3ce929d0e0e4736")
        #expect(span.service == "inventory-api")
        #expect(span.scope == "io.opentelemetry.spring-webmvc-6.0@2.10.0-alpha")
        #expect(span.kind == .server)
        let log = try #require(records.logRecords.first)
        #expect(records.logRecords.count == 1)
        #expect(log.message == "item found")
        #expect(log.service == "inventory-api")
        #expect(log.spanID?.hex == "1111111111111111")
        #expect(records.count == 2, "no rejects")
    }

    @Test("base64 IDs with enum names, as generic protobuf converters write them")
    func base64AndEnumNames() throws {
        let span = try #require(try SpanFixtures.records("otlp-quirks/base64-ids-enum-names.json").spanRecords.first)
        #expect(span.traceID.hex == "61432d488c5740779ad434e04be1b6ce")
        #expect(span.spanID.hex == "5b8efff798038104")
        #expect(span.parentSpanID?.hex == "5b8efff798038103")
        #expect(span.kind == .server)
        #expect(span.status == .error)
        #expect(span.statusMessage == "payment declined")
        #expect(span.durationNanos == 250_000_000)
        #expect(span.service == "checkout-service", "resource after scopeSpans still names the service")
        #expect(span.links == [SpanLink(traceID: span.traceID, spanID: SpanID(0x00f0_67aa_0ba9_02b7))])
    }

    @Test("snake_case field names, int64 as numbers, an empty status object and flags")
    func snakeCase() throws {
        let span = try #require(try SpanFixtures.records("otlp-quirks/snake-case.jsonl").spanRecords.first)
        #expect(span.traceID.hex == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(span.parentSpanID == nil, "an empty parent ID means a root span")
        #expect(span.service == "order-service")
        #expect(span.scope == "io.opentelemetry.express@0.41.0")
        #expect(span.status == .unset)
        #expect(span.flags == 256)
        #expect(span.durationNanos == 12_000_000)
        #expect(span.attributes[key: "http.response.status_code"] == .int(200))
    }

    @Test("Collector lines: bad spans rejected with a reason, the rest kept, duplicates both decoded")
    func collectorLines() throws {
        let records = try SpanFixtures.records("otlp-quirks/collector-lines.jsonl")
        let spans = records.spanRecords
        #expect(
            spans.map(\.spanID.hex) == [
                "1111111111111111", "3333333333333333", "3333333333333333",
            ])
        let reasons = records.rejectedRecords.map(\.reason)
        #expect(reasons == ["span has no valid trace ID", "span start time is missing or out of range"])
        let rejectLines = records.rejectedRecords.map(\.origin.line)
        #expect(rejectLines == [1, 2])

        let root = try #require(spans.first(spanHex: "1111111111111111"))
        #expect(root.parentSpanID?.hex == "9999999999999999", "an orphan keeps its parent ID")
        #expect(root.status == .error)
        #expect(root.flags == 768)
        #expect(root.events.count == 1)
        #expect(root.events.first?.isError == true)
        #expect(root.events.first?.time == 1_764_064_800_290_000_000)
        #expect(root.resource[key: "telemetry.sdk.language"] == .string("nodejs"))

        #expect(spans[2].scope == "legacy-lib", "instrumentationLibrarySpans read like scopeSpans")
    }

    @Test("every record's origin carries its index within the document")
    func ordinals() throws {
        let records = try SpanFixtures.records("otlp-quirks/collector-lines.jsonl")
        let firstLine = records.recordOrigins.filter { $0.line == 1 }.map(\.ordinal)
        let secondLine = records.recordOrigins.filter { $0.line == 2 }.map(\.ordinal)
        #expect(firstLine == [0, 1, 2])
        #expect(secondLine == [0, 1])
    }

    @Test("Jaeger v2 api/v3 wraps OTLP in a result object")
    func jaegerV3Result() throws {
        let span = try #require(try SpanFixtures.records("otlp-quirks/jaeger-v3-result.json").spanRecords.first)
        #expect(span.service == "user-service")
        #expect(span.kind == .client)
        #expect(span.parentSpanID?.hex == "1111111111111111")
    }

    @Test("every AnyValue kind becomes the matching attribute value")
    func everyAnyValue() throws {
        let span = try #require(try SpanFixtures.records("otlp-quirks/every-anyvalue.json").spanRecords.first)
        let attributes = span.attributes
        #expect(attributes[key: "s"] == .string("text"))
        #expect(attributes[key: "b"] == .bool(true))
        #expect(attributes[key: "i.string"] == .int(Int64.max))
        #expect(attributes[key: "i.number"] == .int(42))
        #expect(attributes[key: "d"] == .double(637.704))
        #expect(attributes[key: "d.int"] == .double(3))
        #expect(attributes[key: "bytes"] == .bytes([0x00, 0x01, 0xFE, 0xFF]))
        #expect(attributes[key: "arr"] == .array([.string("many"), .int(2)]))
        #expect(attributes[key: "map"] == .keyValueList([Attribute("inner", .bool(false))]))
        #expect(attributes[key: "empty"] == .null)
        #expect(span.service == "unknown_service", "no resource means the OTel default service name")
    }

    @Test(
        "span kinds and status codes as numbers or names",
        arguments: [
            ("2", "1", SpanKind.server, SpanStatus.ok),
            ("\"SPAN_KIND_PRODUCER\"", "\"STATUS_CODE_ERROR\"", .producer, .error),
            ("\"SPAN_KIND_CONSUMER\"", "\"STATUS_CODE_UNSET\"", .consumer, .unset),
            ("5", "2", .consumer, .error),
            ("\"3\"", "\"STATUS_CODE_OK\"", .client, .ok),
        ])
    func enums(kind: String, code: String, expectedKind: SpanKind, expectedStatus: SpanStatus) throws {
        let document = try SpanFixtures.json(
            """
            {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0af7651916cd43dd8448eb211c80319c",
            "spanId":"b7ad6b7169203331","startTimeUnixNano":"1","kind":\(kind),"status":{"code":\(code)}}]}]}]}
            """)
        let span = try #require(OTLPJSONDecoder.decode(document, origin: Samples.origin).spanRecords.first)
        #expect(span.kind == expectedKind)
        #expect(span.status == expectedStatus)
    }

    @Test(
        "a span whose IDs cannot be read is rejected, naming the field but not the value",
        arguments: [
            (
                #""traceId":"00000000000000000000000000000000","spanId":"b7ad6b7169203331""#,
                "span has no valid trace ID"
            ),
            (#""traceId":"zz","spanId":"b7ad6b7169203331""#, "span has no valid trace ID"),
            (#""traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"""#, "span has no valid span ID"),
            (#""traceId":"0af7651916cd43dd8448eb211c80319c""#, "span has no valid span ID"),
        ])
    func rejects(ids: String, reason: String) throws {
        let document = try SpanFixtures.json(
            #"{"resourceSpans":[{"scopeSpans":[{"spans":[{\#(ids),"startTimeUnixNano":"1"},"#
                + #"{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00000000000000aa","#
                + #""startTimeUnixNano":"1"}]}]}]}"#
        )
        let records = OTLPJSONDecoder.decode(document, origin: Samples.origin)
        #expect(records.rejectedRecords.map(\.reason) == [reason])
        #expect(records.spanRecords.map(\.spanID) == [SpanID(0xaa)], "the other span of the document is kept")
        #expect(
            records.rejectedRecords.first?.raw.contains("startTimeUnixNano") == true, "the raw span is kept for review")
    }

    @Test("a document that is not OTLP is one reject")
    func notOTLP() throws {
        let records = OTLPJSONDecoder.decode(try SpanFixtures.json(#"{"msg":"hello"}"#), origin: Samples.origin)
        #expect(records.rejectedRecords.map(\.reason) == ["not an OTLP document: no resourceSpans or resourceLogs"])
        #expect(OTLPJSONDecoder.decode(try SpanFixtures.json("{}"), origin: Samples.origin).isEmpty)
    }
}
