import Foundation
import Normalize
import OTLPProto
import SwiftProtobuf
import Testing
import TraceJoinCore
import TraceJoinTesting

/// `OTLPTraceWireDecoder` reads span exports without swift-protobuf's messages; it must give exactly the
/// records the swift-protobuf path gives, read the ordinary shapes itself, and leave the rest to swift-protobuf.
///
/// Records are compared through their full description (every stored field, nested values included).
@Suite struct OTLPTraceWireDecoderTests {
    typealias B = OTLPProtoBuilders
    let origin = InputLocation(source: "otlp-http /v1/traces", byteOffset: 7)

    /// A request with what real exporters send and more: two resources (one without `service.name`),
    /// scopes with and without a version, every `AnyValue` kind nested, events, valid and broken links,
    /// status, flags, and spans that become rejects (bad trace ID, bad span ID, no start time).
    static func variedRequest() -> B.TraceRequest {
        var array = Opentelemetry_Proto_Common_V1_ArrayValue()
        array.values = [B.keyValue("", .stringValue("a")).value, B.keyValue("", .doubleValue(-0.5)).value]
        var list = Opentelemetry_Proto_Common_V1_KeyValueList()
        list.values = [B.keyValue("inner", .arrayValue(array)), B.keyValue("none", nil)]
        var event = B.ProtoSpan.Event()
        event.timeUnixNano = 1_764_064_800_005_000_000
        event.name = "exception"
        event.attributes = [
            B.keyValue("exception.message", .stringValue("user jane.doe@example.com: timeout")),
            B.keyValue("exception.escaped", .boolValue(false)),
        ]
        var link = B.ProtoSpan.Link()
        link.traceID = Data(hex: "0af7651916cd43dd8448eb211c80319c")
        link.spanID = Data(hex: "b7ad6b7169203331")
        link.traceState = "vendor=1"
        link.flags = 257
        link.attributes = [B.keyValue("messaging.batch", .boolValue(true))]
        var brokenLink = link
        brokenLink.spanID = Data(count: 8)
        let spans = [
            B.span {
                $0.attributes = [
                    B.keyValue("http.route", .stringValue("/api/orders/{id}")), B.keyValue("b", .boolValue(true)),
                    B.keyValue("i", .intValue(-7)), B.keyValue("bytes", .bytesValue(Data([0, 1, 255]))),
                    B.keyValue("kv", .kvlistValue(list)), B.keyValue("empty", nil),
                    B.keyValue("ünï", .stringValue("ç")),
                ]
                $0.events = [event]
                $0.links = [link, brokenLink]
                $0.status.code = .error
                $0.status.message = "connection refused"
                $0.flags = 0x301  // sampled, plus the has-is-remote and is-remote bits
                $0.traceState = "congo=t61rcWkgMzE"
                $0.droppedAttributesCount = 3
            },
            B.span {
                $0.spanID = Data(hex: "1111111111111111")
                $0.parentSpanID = Data(hex: B.spanHex)
                $0.kind = .client
                $0.endTimeUnixNano = 0
            },
            B.span { $0.traceID = Data([1, 2, 3]) },
            B.span { $0.spanID = Data(count: 8) },
            B.span { $0.startTimeUnixNano = 0 },
            B.span { $0.startTimeUnixNano = UInt64(Int64.max) + 1 },
            B.span { $0.kind = B.ProtoSpan.SpanKind(rawValue: 42)! },
        ]
        var request = B.traceRequest(service: "checkout", scope: ("io.opentelemetry.http", "1.2.0"), spans: spans)
        var second = B.traceRequest(service: nil, scope: ("bare", ""), spans: [spans[1]]).resourceSpans[0]
        second.schemaURL = "https://opentelemetry.io/schemas/1.21.0"
        second.resource.attributes.append(B.keyValue("host.name", .stringValue("web-1")))
        second.scopeSpans[0].scope.attributes = [B.keyValue("scope.attr", .intValue(1))]
        request.resourceSpans.append(second)
        return request
    }

    /// Both decoders' answers as text: the records, or the diagnostic.
    func answers(_ body: [UInt8]) -> (wire: String?, swiftProtobuf: String) {
        let wire = OTLPTraceWireDecoder.decode(body, origin: origin).map { "\($0)" }
        let reference: String
        do {
            reference = "\(try OTLPProtobufDecoder.decodeTracesWithSwiftProtobuf(body, origin: origin))"
        } catch {
            reference = "error: \(error.message)"
        }
        return (wire, reference)
    }

    @Test("a varied request gives the same records, spans and rejects, as swift-protobuf")
    func variedRequestMatches() throws {
        let body = try B.body(Self.variedRequest())
        let (wire, reference) = answers(body)
        let records = try #require(wire, "the wire decoder should read an ordinary request itself")
        #expect(records == reference)
        let decoded = try OTLPProtobufDecoder.decodeTraces(body, origin: origin)
        #expect(decoded.count == 8)
        #expect(decoded.filter { if case .reject = $0 { true } else { false } }.count == 4)
    }

    @Test("a resource or scope written after its spans still applies to them")
    func fieldsInAnyOrder() throws {
        let request = Self.variedRequest()
        // Re-encode each resource_spans and scope_spans with its spans first.
        var body: [UInt8] = []
        for resourceSpans in request.resourceSpans {
            var inner: [UInt8] = []
            for scopeSpans in resourceSpans.scopeSpans {
                var scopeBody: [UInt8] = []
                for span in scopeSpans.spans { scopeBody += Self.field(2, try B.body(span)) }
                scopeBody += Self.field(1, try B.body(scopeSpans.scope))
                inner += Self.field(2, scopeBody)
            }
            inner += Self.field(1, try B.body(resourceSpans.resource))
            body += Self.field(1, inner)
        }
        let (wire, reference) = answers(body)
        let records = try #require(wire)
        #expect(records == reference)
        #expect(records.contains("service: \"checkout\""))
        #expect(records.contains("scope: \"io.opentelemetry.http@1.2.0\""))
    }

    /// Shapes the wire decoder leaves to swift-protobuf, each with its name.
    static func bodiesForSwiftProtobuf() throws -> [(name: String, body: [UInt8])] {
        var request = variedRequest()
        request.resourceSpans[0].scopeSpans[0].spans[0].name = "GET /orders"
        var badText = try B.body(request)
        let name = try #require(range(of: Array("GET /orders".utf8), in: badText))
        badText.replaceSubrange(name.upperBound - 2..<name.upperBound, with: [0xC3, 0x28])

        var extra = Opentelemetry_Proto_Resource_V1_Resource()
        extra.attributes = [B.keyValue("deployment.environment", .stringValue("prod"))]
        let twice = field(1, try B.body(variedRequest().resourceSpans[0]) + field(1, try B.body(extra)))

        let body = try B.body(variedRequest())
        // Field 9 (attributes) of the first span as a varint: a wire type its declaration does not have.
        let span = try B.body(variedRequest().resourceSpans[0].scopeSpans[0].spans[0]) + varint(9 << 3) + [1]
        let wrongType = field(1, field(2, field(2, span)))
        return [
            ("invalid UTF-8 in a span name", badText), ("resource given twice (protobuf merges it)", twice),
            ("truncated", body + [0x0A, 0x05, 0x01]), ("attributes with the varint wire type", wrongType),
        ]
    }

    @Test("bodies the wire decoder does not read go to swift-protobuf, with its records or its error")
    func leftToSwiftProtobuf() throws {
        for (name, body) in try Self.bodiesForSwiftProtobuf() {
            let (wire, reference) = answers(body)
            #expect(wire == nil, "\(name): the wire decoder should have left this body to swift-protobuf")
            let actual: String
            do {
                actual = "\(try OTLPProtobufDecoder.decodeTraces(body, origin: origin))"
            } catch {
                actual = "error: \(error.message)"
            }
            #expect(actual == reference, "\(name)")
        }
    }

    @Test("damaged bodies: whatever the wire decoder reads, it reads as swift-protobuf does")
    func damagedBodies() throws {
        let body = try B.body(Self.variedRequest())
        var generator = SplitMix64(seed: 20_261_203)
        var readByWire = 0
        var readBySwiftProtobuf = 0
        for trial in 0..<3_000 {
            var damaged = body
            for _ in 0...(trial % 3) {
                let at = Int(generator.next() % UInt64(damaged.count))
                damaged[at] = UInt8(truncatingIfNeeded: generator.next())
            }
            if trial % 5 == 0 { damaged.removeLast(Int(generator.next() % 40)) }
            let (wire, reference) = answers(damaged)
            if !reference.hasPrefix("error:") { readBySwiftProtobuf += 1 }
            guard let wire else { continue }
            readByWire += 1
            #expect(wire == reference, "trial \(trial)")
            if wire != reference { break }
        }
        // Most damage lands in IDs, times and text, which both read; the wire decoder must take those.
        #expect(readByWire > readBySwiftProtobuf / 2, "wire \(readByWire) of \(readBySwiftProtobuf)")
    }

    // MARK: - Helpers

    static func field(_ number: UInt64, _ payload: [UInt8]) -> [UInt8] {
        varint(number << 3 | 2) + varint(UInt64(payload.count)) + payload
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        return bytes + [UInt8(value)]
    }

    static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start..<start + needle.count
        }
        return nil
    }
}
