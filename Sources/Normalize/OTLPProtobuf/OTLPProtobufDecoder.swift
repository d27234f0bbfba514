import Foundation
import OTLPProto
import SwiftProtobuf
package import TraceJoinCore

/// Decodes OTLP/HTTP protobuf bodies (`ExportTraceServiceRequest`, `ExportLogsServiceRequest`) into records.
///
/// Produces the same records as `OTLPJSONDecoder` for the equivalent JSON: the service from the
/// resource's `service.name` (else `unknown_service`), the scope as `name@version`, one ordinal per
/// record in document order. A span that cannot be read (trace ID not 16 non-zero bytes, span ID not
/// 8 non-zero bytes, no start time) becomes a reject and the rest of the request is kept; a body
/// that is not the message at all throws, so the receiver can answer 400.
/// — source: https://opentelemetry.io/docs/specs/otlp/#otlphttp-request
///
/// Protobuf cannot tell a zero from a missing field, so where the JSON decoder asks "present?"
/// this one asks "non-zero?": a start time of 0 is missing, an end time of 0 means "same as start".
package enum OTLPProtobufDecoder {
    typealias TraceRequest = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
    typealias LogsRequest = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceRequest
    typealias ProtoSpan = Opentelemetry_Proto_Trace_V1_Span

    /// The records in a protobuf `ExportTraceServiceRequest`.
    ///
    /// - Throws: a `Diagnostic` at `origin` when `body` is not a valid protobuf message.
    package static func decodeTraces(_ body: [UInt8], origin: InputLocation) throws(Diagnostic) -> [Record] {
        if let records = OTLPTraceWireDecoder.decode(body, origin: origin) { return records }
        return try decodeTracesWithSwiftProtobuf(body, origin: origin)
    }

    /// The records through swift-protobuf's generated messages: what ``OTLPTraceWireDecoder`` falls back
    /// to for any body it does not read itself, and the reference it is tested against.
    package static func decodeTracesWithSwiftProtobuf(_ body: [UInt8], origin: InputLocation) throws(Diagnostic)
        -> [Record]
    {
        let request: TraceRequest = try parse(body, origin: origin, messageName: "ExportTraceServiceRequest")
        var records: [Record] = []
        var counter = OrdinalCounter(origin)
        for resourceSpans in request.resourceSpans {
            let context = resourceContext(resourceSpans.resource)
            for scopeSpans in resourceSpans.scopeSpans {
                let scope = scopeText(scopeSpans.scope)
                records.reserveCapacity(records.count + scopeSpans.spans.count)
                for span in scopeSpans.spans {
                    records.append(decodeSpan(span, context: context, scope: scope, origin: counter.take()))
                }
            }
        }
        return records
    }

    /// Parses `body` as `Message`, turning SwiftProtobuf's error into a diagnostic that names the
    /// fault but not the bytes.
    static func parse<Message: SwiftProtobuf.Message>(
        _ body: [UInt8], origin: InputLocation, messageName: String
    ) throws(Diagnostic) -> Message {
        do {
            return try Message(serializedBytes: body)
        } catch let error as BinaryDecodingError {
            throw Diagnostic(
                location: origin,
                message: "body is not a valid protobuf \(messageName): \(reason(error))",
                hint: "send Content-Type: application/json for OTLP/JSON; gzip bodies need Content-Encoding: gzip")
        } catch {
            throw Diagnostic(location: origin, message: "body is not a valid protobuf \(messageName)")
        }
    }

    /// A short reason for each decoding failure; never the offending bytes.
    private static func reason(_ error: BinaryDecodingError) -> String {
        switch error {
        case .truncated: "truncated"
        case .malformedProtobuf: "malformed"
        case .invalidUTF8: "a string field is not valid UTF-8"
        case .messageDepthLimit: "nested too deeply"
        case .trailingGarbage: "bytes after the end of the message"
        case .missingRequiredFields: "required fields missing"
        default: "cannot be decoded"
        }
    }

    // MARK: - Resource and scope

    /// Resource attributes and the service they name (`unknown_service` when none does).
    static func resourceContext(_ resource: Opentelemetry_Proto_Resource_V1_Resource) -> OTLPJSONDecoder.ResourceContext
    {
        resourceContext(attributes: OTLPProtobufValues.attributes(resource.attributes))
    }

    /// Resource attributes and the service they name.
    static func resourceContext(attributes: [Attribute]) -> OTLPJSONDecoder.ResourceContext {
        var context = OTLPJSONDecoder.ResourceContext()
        context.attributes = attributes
        if case .string(let service)? = attributes[key: "service.name"], !service.isEmpty {
            context.service = service
        }
        return context
    }

    /// The scope as one text: `name@version`, or the name alone.
    static func scopeText(_ scope: Opentelemetry_Proto_Common_V1_InstrumentationScope) -> String {
        scope.version.isEmpty ? scope.name : scope.name + "@" + scope.version
    }

    // MARK: - Spans

    /// One span, or a reject naming the field that could not be read.
    static func decodeSpan(
        _ span: ProtoSpan, context: OTLPJSONDecoder.ResourceContext, scope: String, origin: InputLocation
    ) -> Record {
        let essentials = SpanEssentials(
            traceID: traceID(span.traceID), spanID: spanID(span.spanID), start: span.startTimeUnixNano,
            end: span.endTimeUnixNano)
        guard case .valid(let traceID, let spanID, let start, let end) = essentials else {
            return reject(essentials.fault ?? "", span, origin: origin)
        }
        return .span(
            SpanRecord(
                traceID: traceID, spanID: spanID, parentSpanID: self.spanID(span.parentSpanID),
                service: context.service, name: span.name,
                kind: SpanKind(rawValue: span.kind.rawValue) ?? .unspecified, startTime: start, endTime: end,
                status: SpanStatus(rawValue: span.status.code.rawValue) ?? .unset,
                statusMessage: span.status.message, attributes: OTLPProtobufValues.attributes(span.attributes),
                resource: context.attributes, scope: scope, events: span.events.map(event),
                links: span.links.compactMap(link), flags: span.flags, origin: origin))
    }

    private static func event(_ event: ProtoSpan.Event) -> SpanEvent {
        SpanEvent(
            time: Int64(exactly: event.timeUnixNano) ?? 0, name: event.name,
            attributes: OTLPProtobufValues.attributes(event.attributes))
    }

    /// A link with a valid trace and span ID; others point nowhere and are dropped, as in OTLP/JSON.
    private static func link(_ link: ProtoSpan.Link) -> SpanLink? {
        guard let traceID = traceID(link.traceID), let spanID = spanID(link.spanID) else { return nil }
        return SpanLink(
            traceID: traceID, spanID: spanID, kind: "link", attributes: OTLPProtobufValues.attributes(link.attributes))
    }

    /// The span as protobuf-JSON text (IDs in base64), kept with the reject for a user to look at.
    static func reject(_ reason: String, _ span: ProtoSpan, origin: InputLocation) -> Record {
        let text = (try? span.jsonString()) ?? ""
        return SpanRejection.make(reason, raw: Array(text.utf8), origin: origin)
    }

    // MARK: - Identifiers

    /// A trace ID from exactly 16 bytes, not all zero; the spec calls anything else invalid.
    /// — source: opentelemetry/proto/trace/v1/trace.proto, `Span.trace_id`
    static func traceID(_ bytes: Data) -> TraceID? {
        guard bytes.count == 16, let id = TraceID(bytes: bytes), !id.isZero else { return nil }
        return id
    }

    /// A span ID from exactly 8 bytes, not all zero; empty (a root's parent) is nil.
    static func spanID(_ bytes: Data) -> SpanID? {
        guard bytes.count == 8, let id = SpanID(bytes: bytes), !id.isZero else { return nil }
        return id
    }
}
