import Foundation
import Normalize
import OTLPProto
import Testing
import TraceJoinCore
import TraceJoinTesting

@Suite struct OTLPProtobufDecoderTests {
    typealias B = OTLPProtoBuilders
    let origin = InputLocation(source: "otlp-http")

    @Test("a span keeps its IDs, parent, name, kind, times, status, flags, scope and service")
    func spanFields() throws {
        let span = B.span {
            $0.parentSpanID = Data(hex: B.parentHex)
            $0.status.code = .error
            $0.status.message = "payment declined"
            $0.flags = 0x301
            $0.attributes = [B.keyValue("http.response.status_code", .intValue(502))]
        }
        let request = B.traceRequest(
            service: "order-service", scope: ("io.opentelemetry.express", "0.41.0"), spans: [span])
        let records = try OTLPProtobufDecoder.decodeTraces(B.body(request), origin: origin)
        let decoded = try #require(records.spanRecords.first)
        #expect(records.count == 1)
        #expect(decoded.traceID.hex == B.traceHex)
        #expect(decoded.spanID.hex == B.spanHex)
        #expect(decoded.parentSpanID?.hex == B.parentHex)
        #expect(decoded.name == "GET /orders/:id")
        #expect(decoded.kind == .server)
        #expect(decoded.startTime == 1_764_064_800_000_000_000)
        #expect(decoded.durationNanos == 12_000_000)
        #expect(decoded.status == .error)
        #expect(decoded.statusMessage == "payment declined")
        #expect(decoded.flags == 0x301)
        #expect(decoded.scope == "io.opentelemetry.express@0.41.0")
        #expect(decoded.service == "order-service")
        #expect(decoded.resource == [Attribute("service.name", .string("order-service"))])
        #expect(decoded.attributes == [Attribute("http.response.status_code", .int(502))])
    }

    @Test("a root span has no parent and an end time of 0 means it ends when it starts")
    func rootAndMissingEnd() throws {
        let request = B.traceRequest(service: "api", spans: [B.span { $0.endTimeUnixNano = 0 }])
        let span = try #require(try OTLPProtobufDecoder.decodeTraces(B.body(request), origin: origin).spanRecords.first)
        #expect(span.parentSpanID == nil)
        #expect(span.endTime == span.startTime)
        #expect(span.scope == "")
    }

    @Test("without service.name the service is unknown_service")
    func unknownService() throws {
        let request = B.traceRequest(service: nil, spans: [B.span()])
        let span = try #require(try OTLPProtobufDecoder.decodeTraces(B.body(request), origin: origin).spanRecords.first)
        #expect(span.service == "unknown_service")
    }

    @Test("every AnyValue kind becomes the matching attribute value")
    func everyAnyValueKind() throws {
        var array = Opentelemetry_Proto_Common_V1_ArrayValue()
        array.values = [B.keyValue("", .stringValue("a")).value, B.keyValue("", .intValue(2)).value]
        var list = Opentelemetry_Proto_Common_V1_KeyValueList()
        list.values = [B.keyValue("inner", .boolValue(false))]
        let span = B.span {
            $0.attributes = [
                B.keyValue("s", .stringValue("text")), B.keyValue("b", .boolValue(true)),
                B.keyValue("i", .intValue(-7)), B.keyValue("d", .doubleValue(0.25)),
                B.keyValue("bytes", .bytesValue(Data([0, 1, 255]))), B.keyValue("arr", .arrayValue(array)),
                B.keyValue("kv", .kvlistValue(list)), B.keyValue("empty", nil),
            ]
        }
        let request = B.traceRequest(service: "api", spans: [span])
        let decoded = try #require(
            try OTLPProtobufDecoder.decodeTraces(B.body(request), origin: origin).spanRecords.first)
        #expect(
            decoded.attributes == [
                Attribute("s", .string("text")), Attribute("b", .bool(true)), Attribute("i", .int(-7)),
                Attribute("d", .double(0.25)), Attribute("bytes", .bytes([0, 1, 255])),
                Attribute("arr", .array([.string("a"), .int(2)])),
                Attribute("kv", .keyValueList([Attribute("inner", .bool(false))])), Attribute("empty", .null),
            ])
    }

    @Test("events keep time, name and attributes; links without valid IDs are dropped")
    func eventsAndLinks() throws {
        var event = B.ProtoSpan.Event()
        event.timeUnixNano = 1_764_064_800_005_000_000
        event.name = "exception"
        event.attributes = [B.keyValue("exception.type", .stringValue("TimeoutError"))]
        var link = B.ProtoSpan.Link()
        link.traceID = Data(hex: "0af7651916cd43dd8448eb211c80319c")
        link.spanID = Data(hex: "b7ad6b7169203331")
        link.attributes = [B.keyValue("messaging.batch", .boolValue(true))]
        var brokenLink = B.ProtoSpan.Link()
        brokenLink.traceID = Data([1, 2, 3])
        brokenLink.spanID = Data(hex: "b7ad6b7169203331")
        let request = B.traceRequest(
            service: "api",
            spans: [
                B.span {
                    $0.events = [event]
                    $0.links = [link, brokenLink]
                }
            ])
        let span = try #require(try OTLPProtobufDecoder.decodeTraces(B.body(request), origin: origin).spanRecords.first)
        #expect(
            span.events == [
                SpanEvent(
                    time: 1_764_064_800_005_000_000, name: "exception",
                    attributes: [Attribute("exception.type", .string("TimeoutError"))])
            ])
        #expect(span.events.first?.isError == true)
        #expect(span.links.count == 1)
        #expect(span.links.first?.traceID.hex == "0af7651916cd43dd8448eb211c80319c")
        #expect(span.links.first?.spanID.hex == "b7ad6b7169203331")
        #expect(span.links.first?.kind == "link")
        #expect(span.links.first?.attributes == [Attribute("messaging.batch", .bool(true))])
    }

    /// One way a sender can get a span wrong, and the reason the reject must give.
    enum SpanFault: String, CaseIterable, Sendable {
        case emptyTraceID, zeroTraceID, eightByteTraceID, zeroSpanID, sixteenByteSpanID
        case noStartTime, startTimeOutOfRange, endTimeOutOfRange

        var reason: String {
            switch self {
            case .emptyTraceID, .zeroTraceID, .eightByteTraceID: "span has no valid trace ID"
            case .zeroSpanID, .sixteenByteSpanID: "span has no valid span ID"
            case .noStartTime: "span start time is missing"
            case .startTimeOutOfRange: "span start time is out of range"
            case .endTimeOutOfRange: "span end time is out of range"
            }
        }

        func apply(to span: inout B.ProtoSpan) {
            switch self {
            case .emptyTraceID: span.traceID = Data()
            case .zeroTraceID: span.traceID = Data(count: 16)
            case .eightByteTraceID: span.traceID = Data(hex: B.parentHex)
            case .zeroSpanID: span.spanID = Data(count: 8)
            case .sixteenByteSpanID: span.spanID = Data(hex: B.traceHex)
            case .noStartTime: span.startTimeUnixNano = 0
            case .startTimeOutOfRange: span.startTimeUnixNano = .max
            case .endTimeOutOfRange: span.endTimeUnixNano = .max
            }
        }
    }

    @Test(
        "a span with a bad ID or time is rejected with its reason and the others are kept",
        arguments: SpanFault.allCases)
    func badSpanRejected(fault: SpanFault) throws {
        let good = B.span { $0.name = "kept" }
        let request = B.traceRequest(service: "api", spans: [good, B.span(fault.apply(to:)), good])
        let records = try OTLPProtobufDecoder.decodeTraces(B.body(request), origin: origin)
        #expect(records.count == 3)
        #expect(records.spanRecords.map(\.name) == ["kept", "kept"])
        let reject = try #require(records.rejectedRecords.first)
        #expect(reject.reason.hasPrefix(fault.reason))
        #expect(reject.origin.ordinal == 1)
        #expect(reject.raw.contains("\"name\":\"GET /orders/:id\""))
        #expect(records.recordOrigins.map(\.ordinal) == [0, 1, 2])
    }

    @Test("records of several resources and scopes are numbered in request order")
    func ordinalsAcrossResources() throws {
        var request = B.traceRequest(service: "a", spans: [B.span { $0.name = "a1" }, B.span { $0.name = "a2" }])
        request.resourceSpans += B.traceRequest(service: "b", spans: [B.span { $0.name = "b1" }]).resourceSpans
        let records = try OTLPProtobufDecoder.decodeTraces(B.body(request), origin: origin)
        #expect(records.spanRecords.map(\.name) == ["a1", "a2", "b1"])
        #expect(records.spanRecords.map(\.service) == ["a", "a", "b"])
        #expect(records.recordOrigins.map(\.ordinal) == [0, 1, 2])
        #expect(records.recordOrigins.allSatisfy { $0.source == "otlp-http" })
    }

    @Test("an empty body is an empty request: no records, no error")
    func emptyBody() throws {
        #expect(try OTLPProtobufDecoder.decodeTraces([], origin: origin).isEmpty)
        #expect(try OTLPProtobufDecoder.decodeLogs([], origin: origin).isEmpty)
    }

    @Test(
        "a body that is not protobuf throws a diagnostic naming the message, not the bytes",
        arguments: [
            Array("{\"resourceSpans\":[]}".utf8),  // JSON sent with the wrong content type
            [0x0A, 0x05, 0x01],  // field 1 claims 5 bytes, 1 follows
            [0x1F, 0x8B, 0x08, 0x00, 0x00],  // gzip header: Content-Encoding ignored
        ])
    func undecodableBody(body: [UInt8]) throws {
        let error = try #require(throws: Diagnostic.self) {
            try OTLPProtobufDecoder.decodeTraces(body, origin: origin)
        }
        #expect(error.location == origin)
        #expect(error.message.hasPrefix("body is not a valid protobuf ExportTraceServiceRequest"))
        #expect(!error.description.contains("resourceSpans"))
        #expect(throws: Diagnostic.self) { try OTLPProtobufDecoder.decodeLogs(body, origin: origin) }
    }
}
