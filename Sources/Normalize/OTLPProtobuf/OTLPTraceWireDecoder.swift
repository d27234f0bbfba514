import OTLPProto
import SwiftProtobuf
package import TraceJoinCore

/// Reads a protobuf `ExportTraceServiceRequest` straight from its bytes into records, without building
/// swift-protobuf's messages first.
///
/// Why: in `tracejoin serve` under load, parsing into the generated messages (a storage object per span,
/// a `Data` per ID, an array of `KeyValue` messages per attribute list) and then converting them was about
/// a third of the receiver's CPU. Reading the wire format directly makes each string once and nothing else.
///
/// It reads the common shape and nothing more. Any body with something it does not handle - malformed or
/// truncated bytes, invalid UTF-8, a field with an unexpected wire type, groups, a singular message field
/// given twice (which protobuf merges), deep nesting - gives nil, and ``OTLPProtobufDecoder`` decodes the
/// body with swift-protobuf instead: same records, or the same diagnostic. Rejected spans are re-read with
/// swift-protobuf to keep their protobuf-JSON text. Tests compare both paths on the same bodies.
package enum OTLPTraceWireDecoder {
    /// The records of `body`, as ``OTLPProtobufDecoder/decodeTracesWithSwiftProtobuf(_:origin:)`` would
    /// give them; nil when the body is for swift-protobuf to read.
    package static func decode(_ body: [UInt8], origin: InputLocation) -> [Record]? {
        body.withUnsafeBufferPointer { buffer in
            var decoding = TraceDecoding(buffer: buffer, counter: OrdinalCounter(origin))
            do {
                try decoding.request()
            } catch {
                return nil
            }
            return decoding.records
        }
    }
}

/// One body being decoded: the bytes, the records so far and the ordinal of the next.
private struct TraceDecoding {
    typealias Reader = ProtobufWireReader
    typealias Unexpected = ProtobufWireReader.Unexpected

    let buffer: UnsafeBufferPointer<UInt8>
    var counter: OrdinalCounter
    var records: [Record] = []

    /// Nesting of values allowed before the body is left to swift-protobuf: each level here is two or three
    /// messages there, whose limit is 100 messages deep.
    private static let maxValueDepth = 30

    init(buffer: UnsafeBufferPointer<UInt8>, counter: OrdinalCounter) {
        self.buffer = buffer
        self.counter = counter
    }

    private func reader(_ range: Range<Int>) -> Reader { Reader(buffer, range: range) }

    /// `ExportTraceServiceRequest`: 1 resource_spans.
    mutating func request() throws(Unexpected) {
        var reader = reader(0..<buffer.count)
        try reader.forEachMessage(inField: 1) { range throws(Unexpected) in try resourceSpans(range) }
    }

    /// `ResourceSpans`: 1 resource, 2 scope_spans, 3 schema_url.
    private mutating func resourceSpans(_ range: Range<Int>) throws(Unexpected) {
        let resource = try headerAndChildCount(range).header
        let context = OTLPProtobufDecoder.resourceContext(attributes: try resource.map(resourceAttributes) ?? [])
        var reader = reader(range)
        try reader.forEachMessage(inField: 2) { payload throws(Unexpected) in try scopeSpans(payload, context: context) }
    }

    /// `Resource`: 1 attributes, 2 dropped_attributes_count.
    private func resourceAttributes(_ range: Range<Int>) throws(Unexpected) -> [Attribute] {
        var attributes: [Attribute] = []
        var reader = reader(range)
        while !reader.isAtEnd {
            let (number, type) = try reader.field()
            switch number {
            case 1:
                try reader.expect(.lengthDelimited, type)
                try attributes.append(keyValue(reader.lengthDelimited(), depth: 0))
            case 2:
                try reader.expect(.varint, type)
                _ = try reader.varint()
            default: try reader.skip(type)
            }
        }
        return attributes
    }

    /// `ScopeSpans`: 1 scope, 2 spans, 3 schema_url.
    private mutating func scopeSpans(_ range: Range<Int>, context: OTLPJSONDecoder.ResourceContext)
        throws(Unexpected)
    {
        let (scope, spanCount) = try headerAndChildCount(range)
        let scopeText = try scope.map(self.scopeText) ?? ""
        records.reserveCapacity(records.count + spanCount)
        var reader = reader(range)
        try reader.forEachMessage(inField: 2) { payload throws(Unexpected) in
            try records.append(span(payload, context: context, scope: scopeText, origin: counter.take()))
        }
    }

    /// The first pass over a `ResourceSpans` or a `ScopeSpans`, which share a layout: 1 a singular header (the
    /// resource, the scope), 2 repeated children (scope spans, spans), 3 schema_url. The header may come after
    /// the children it describes, so it is found before they are decoded; the pass also checks every field
    /// and counts the children.
    private func headerAndChildCount(_ range: Range<Int>) throws(Unexpected) -> (header: Range<Int>?, children: Int) {
        var header: Range<Int>?
        var children = 0
        var reader = reader(range)
        while !reader.isAtEnd {
            let (number, type) = try reader.field()
            switch number {
            case 1:
                try reader.expect(.lengthDelimited, type)
                guard header == nil else { throw Unexpected() }
                header = try reader.lengthDelimited()
            case 2:
                try reader.expect(.lengthDelimited, type)
                _ = try reader.lengthDelimited()
                children += 1
            case 3:
                try reader.expect(.lengthDelimited, type)
                _ = try reader.string(reader.lengthDelimited())
            default: try reader.skip(type)
            }
        }
        return (header, children)
    }

    /// `InstrumentationScope` (1 name, 2 version, 3 attributes, 4 dropped_attributes_count) as
    /// `name@version`. Its attributes are not kept, but are read: swift-protobuf would refuse bad ones.
    private func scopeText(_ range: Range<Int>) throws(Unexpected) -> String {
        var name = ""
        var version = ""
        var reader = reader(range)
        while !reader.isAtEnd {
            let (number, type) = try reader.field()
            switch number {
            case 1, 2:
                try reader.expect(.lengthDelimited, type)
                let text = try reader.string(reader.lengthDelimited())
                if number == 1 { name = text } else { version = text }
            case 3:
                try reader.expect(.lengthDelimited, type)
                _ = try keyValue(reader.lengthDelimited(), depth: 0)
            case 4:
                try reader.expect(.varint, type)
                _ = try reader.varint()
            default: try reader.skip(type)
            }
        }
        return version.isEmpty ? name : name + "@" + version
    }

    // MARK: - Spans

    /// `Span`, field numbers as in opentelemetry/proto/trace/v1/trace.proto.
    private func span(
        _ range: Range<Int>, context: OTLPJSONDecoder.ResourceContext, scope: String, origin: InputLocation
    ) throws(Unexpected) -> Record {
        var traceID: Range<Int> = 0..<0
        var spanID: Range<Int> = 0..<0
        var parentSpanID: Range<Int> = 0..<0
        var name = ""
        var kind: UInt64 = 0
        var start: UInt64 = 0
        var end: UInt64 = 0
        var attributes: [Attribute] = []
        var events: [SpanEvent] = []
        var links: [SpanLink] = []
        var status: (code: UInt64, message: String)?
        var flags: UInt32 = 0
        var reader = reader(range)
        while !reader.isAtEnd {
            let (number, type) = try reader.field()
            switch number {
            case 1, 2, 4:
                try reader.expect(.lengthDelimited, type)
                let bytes = try reader.lengthDelimited()
                if number == 1 { traceID = bytes } else if number == 2 { spanID = bytes } else { parentSpanID = bytes }
            case 3:
                try reader.expect(.lengthDelimited, type)
                _ = try reader.string(reader.lengthDelimited())
            case 5:
                try reader.expect(.lengthDelimited, type)
                name = try reader.string(reader.lengthDelimited())
            case 6:
                try reader.expect(.varint, type)
                kind = try reader.varint()
            case 7, 8:
                try reader.expect(.fixed64, type)
                if number == 7 { start = try reader.fixed64() } else { end = try reader.fixed64() }
            case 9:
                try reader.expect(.lengthDelimited, type)
                try attributes.append(keyValue(reader.lengthDelimited(), depth: 0))
            case 10, 12, 14:
                try reader.expect(.varint, type)
                _ = try reader.varint()
            case 11:
                try reader.expect(.lengthDelimited, type)
                try events.append(event(reader.lengthDelimited()))
            case 13:
                try reader.expect(.lengthDelimited, type)
                if let link = try link(reader.lengthDelimited()) { links.append(link) }
            case 15:
                try reader.expect(.lengthDelimited, type)
                guard status == nil else { throw Unexpected() }
                status = try self.status(reader.lengthDelimited())
            case 16:
                try reader.expect(.fixed32, type)
                flags = try reader.fixed32()
            default: try reader.skip(type)
            }
        }
        let essentials = SpanEssentials(
            traceID: reader.traceID(traceID), spanID: reader.spanID(spanID), start: start, end: end)
        guard case .valid(let validTraceID, let validSpanID, let startTime, let endTime) = essentials else {
            return try reject(essentials.fault ?? "", range: range, origin: origin)
        }
        return .span(
            SpanRecord(
                traceID: validTraceID, spanID: validSpanID, parentSpanID: reader.spanID(parentSpanID),
                service: context.service, name: name, kind: SpanKind(rawValue: Self.enumValue(kind)) ?? .unspecified,
                startTime: startTime, endTime: endTime,
                status: SpanStatus(rawValue: Self.enumValue(status?.code ?? 0)) ?? .unset,
                statusMessage: status?.message ?? "", attributes: attributes, resource: context.attributes,
                scope: scope, events: events, links: links, flags: flags, origin: origin))
    }

    /// An enum's number as swift-protobuf reads it: the varint cut to 32 bits, sign included.
    private static func enumValue(_ varint: UInt64) -> Int { Int(Int32(truncatingIfNeeded: varint)) }

    /// The reject for a span that cannot be read, with the span's protobuf-JSON text like the other path.
    private func reject(_ reason: String, range: Range<Int>, origin: InputLocation) throws(Unexpected) -> Record {
        let bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[range])
        guard let span = try? OTLPProtobufDecoder.ProtoSpan(serializedBytes: Array(bytes)) else { throw Unexpected() }
        return OTLPProtobufDecoder.reject(reason, span, origin: origin)
    }

    /// `Span.Status`: 2 message, 3 code.
    private func status(_ range: Range<Int>) throws(Unexpected) -> (code: UInt64, message: String) {
        var status: (code: UInt64, message: String) = (0, "")
        var reader = reader(range)
        while !reader.isAtEnd {
            let (number, type) = try reader.field()
            switch number {
            case 2:
                try reader.expect(.lengthDelimited, type)
                status.message = try reader.string(reader.lengthDelimited())
            case 3:
                try reader.expect(.varint, type)
                status.code = try reader.varint()
            default: try reader.skip(type)
            }
        }
        return status
    }

    /// `Span.Event`: 1 time_unix_nano, 2 name, 3 attributes, 4 dropped_attributes_count.
    private func event(_ range: Range<Int>) throws(Unexpected) -> SpanEvent {
        var time: UInt64 = 0
        var name = ""
        var attributes: [Attribute] = []
        var reader = reader(range)
        while !reader.isAtEnd {
            let (number, type) = try reader.field()
            switch number {
            case 1:
                try reader.expect(.fixed64, type)
                time = try reader.fixed64()
            case 2:
                try reader.expect(.lengthDelimited, type)
                name = try reader.string(reader.lengthDelimited())
            case 3:
                try reader.expect(.lengthDelimited, type)
                try attributes.append(keyValue(reader.lengthDelimited(), depth: 0))
            case 4:
                try reader.expect(.varint, type)
                _ = try reader.varint()
            default: try reader.skip(type)
            }
        }
        return SpanEvent(time: Int64(exactly: time) ?? 0, name: name, attributes: attributes)
    }

    /// `Span.Link` (1 trace_id, 2 span_id, 3 trace_state, 4 attributes, 5 dropped_attributes_count,
    /// 6 flags); nil when its IDs are not valid, as in the other path.
    private func link(_ range: Range<Int>) throws(Unexpected) -> SpanLink? {
        var traceID: Range<Int> = 0..<0
        var spanID: Range<Int> = 0..<0
        var attributes: [Attribute] = []
        var reader = reader(range)
        while !reader.isAtEnd {
            let (number, type) = try reader.field()
            switch number {
            case 1, 2:
                try reader.expect(.lengthDelimited, type)
                let bytes = try reader.lengthDelimited()
                if number == 1 { traceID = bytes } else { spanID = bytes }
            case 3:
                try reader.expect(.lengthDelimited, type)
                _ = try reader.string(reader.lengthDelimited())
            case 4:
                try reader.expect(.lengthDelimited, type)
                try attributes.append(keyValue(reader.lengthDelimited(), depth: 0))
            case 5:
                try reader.expect(.varint, type)
                _ = try reader.varint()
            case 6:
                try reader.expect(.fixed32, type)
                _ = try reader.fixed32()
            default: try reader.skip(type)
            }
        }
        guard let linkedTrace = reader.traceID(traceID), let linkedSpan = reader.spanID(spanID) else { return nil }
        return SpanLink(traceID: linkedTrace, spanID: linkedSpan, kind: "link", attributes: attributes)
    }

    // MARK: - Values

    /// `KeyValue`: 1 key, 2 value; no value is `.null`, as in ``OTLPProtobufValues``.
    private func keyValue(_ range: Range<Int>, depth: Int) throws(Unexpected) -> Attribute {
        var key = ""
        var value: AttributeValue?
        var reader = reader(range)
        while !reader.isAtEnd {
            let (number, type) = try reader.field()
            switch number {
            case 1:
                try reader.expect(.lengthDelimited, type)
                key = try reader.string(reader.lengthDelimited())
            case 2:
                try reader.expect(.lengthDelimited, type)
                guard value == nil else { throw Unexpected() }
                value = try anyValue(reader.lengthDelimited(), depth: depth + 1)
            default: try reader.skip(type)
            }
        }
        return Attribute(key, value ?? .null)
    }

    /// `AnyValue`: one of 1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist, 7 bytes; none is `.null`.
    private func anyValue(_ range: Range<Int>, depth: Int) throws(Unexpected) -> AttributeValue {
        guard depth <= Self.maxValueDepth else { throw Unexpected() }
        var value: AttributeValue?
        var reader = reader(range)
        while !reader.isAtEnd {
            let (number, type) = try reader.field()
            guard (1...7).contains(number) else {
                try reader.skip(type)
                continue
            }
            // A second member of the oneof replaces or merges into the first: swift-protobuf's to do.
            guard value == nil else { throw Unexpected() }
            switch number {
            case 1:
                try reader.expect(.lengthDelimited, type)
                value = .string(try reader.string(reader.lengthDelimited()))
            case 2:
                try reader.expect(.varint, type)
                value = .bool(try reader.varint() != 0)
            case 3:
                try reader.expect(.varint, type)
                value = .int(Int64(bitPattern: try reader.varint()))
            case 4:
                try reader.expect(.fixed64, type)
                value = .double(Double(bitPattern: try reader.fixed64()))
            case 5:
                try reader.expect(.lengthDelimited, type)
                value = .array(try values(reader.lengthDelimited(), depth: depth))
            case 6:
                try reader.expect(.lengthDelimited, type)
                value = .keyValueList(try keyValues(reader.lengthDelimited(), depth: depth))
            default:
                try reader.expect(.lengthDelimited, type)
                value = .bytes(reader.bytes(try reader.lengthDelimited()))
            }
        }
        return value ?? .null
    }

    /// `ArrayValue`: 1 values (repeated `AnyValue`).
    private func values(_ range: Range<Int>, depth: Int) throws(Unexpected) -> [AttributeValue] {
        var values: [AttributeValue] = []
        var reader = reader(range)
        try reader.forEachMessage(inField: 1) { value throws(Unexpected) in
            try values.append(anyValue(value, depth: depth + 1))
        }
        return values
    }

    /// `KeyValueList`: 1 values (repeated `KeyValue`).
    private func keyValues(_ range: Range<Int>, depth: Int) throws(Unexpected) -> [Attribute] {
        var attributes: [Attribute] = []
        var reader = reader(range)
        try reader.forEachMessage(inField: 1) { keyValue throws(Unexpected) in
            try attributes.append(self.keyValue(keyValue, depth: depth + 1))
        }
        return attributes
    }
}
