import Foundation
import OTLPProto
import SwiftProtobuf
package import TraceJoinCore

/// A ``TraceView`` as OTLP `TracesData`, for the Tempo API (`/api/traces/{id}`, `/api/v2/traces/{id}`): spans grouped
/// by resource (service and resource attributes, as Jaeger processes) and scope, kind and status as OTLP fields, the
/// span events as events, and each log placed on a span as an event named `log` with the fields a Jaeger span log
/// has (`level`, `message`, `service`, its attributes, `tracejoin.placed`). The verdict and marks are attributes
/// with the same `tracejoin.*` keys as the Jaeger tags.
///
/// One conversion, two encodings: protobuf through the generated messages (what Grafana's Tempo data source
/// decodes), and OTLP JSON written from the same message (hex IDs, 64-bit numbers as strings, enums as numbers).
/// — source: opentelemetry-proto `trace/v1/trace.proto`; Tempo `pkg/tempopb` (`Trace`, `TraceByIDResponse`)
package enum OTLPTraceEncoder {
    typealias TracesData = Opentelemetry_Proto_Trace_V1_TracesData
    typealias Span = Opentelemetry_Proto_Trace_V1_Span
    typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue
    typealias AnyValue = Opentelemetry_Proto_Common_V1_AnyValue

    static func tracesData(of trace: TraceView) -> TracesData {
        let processes = Processes(trace.spans)
        var data = TracesData()
        data.resourceSpans = processes.unique.map { process in
            var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
            resourceSpans.resource.attributes =
                [keyValue(Attribute("service.name", .string(process.service)))] + process.tags.map(keyValue)
            return resourceSpans
        }
        var scopes: [[String: Int]] = Array(repeating: [:], count: processes.unique.count)
        for (index, span) in trace.spans.enumerated() {
            let resource = processes.indexes[index]
            let scopeName = span.record.scope
            let scope =
                scopes[resource][scopeName]
                ?? {
                    var scopeSpans = Opentelemetry_Proto_Trace_V1_ScopeSpans()
                    scopeSpans.scope.name = scopeName
                    data.resourceSpans[resource].scopeSpans.append(scopeSpans)
                    scopes[resource][scopeName] = data.resourceSpans[resource].scopeSpans.count - 1
                    return data.resourceSpans[resource].scopeSpans.count - 1
                }()
            data.resourceSpans[resource].scopeSpans[scope].spans.append(self.span(span, of: trace))
        }
        return data
    }

    static func span(_ view: SpanView, of trace: TraceView) -> Span {
        let record = view.record
        var span = Span()
        span.traceID = bytes(trace.traceID)
        span.spanID = bytes(view.spanID)
        if let parent = view.parentSpanID { span.parentSpanID = bytes(parent) }
        span.name = record.name
        span.kind = Span.SpanKind(rawValue: record.kind.rawValue) ?? .unspecified
        span.startTimeUnixNano = UInt64(max(0, record.startTime))
        span.endTimeUnixNano = UInt64(max(0, record.endTime))
        span.attributes = (record.attributes + JaegerTraceEncoder.marks(of: view, in: trace)).map(keyValue)
        span.flags = record.flags
        switch record.status {
        case .ok: span.status.code = .ok
        case .error: span.status.code = .error
        case .unset: break
        }
        span.status.message = record.statusMessage
        span.events = JaegerTraceEncoder.logs(of: view).map { log in
            var event = Opentelemetry_Proto_Trace_V1_Span.Event()
            event.timeUnixNano = UInt64(max(0, log.time))
            if let first = log.fields.first, first.key == "event", case .string(let name) = first.value {
                event.name = name
                event.attributes = log.fields.dropFirst().map(keyValue)
            } else {
                event.name = "log"
                event.attributes = log.fields.map(keyValue)
            }
            return event
        }
        span.links = record.links.map { link in
            var otlp = Opentelemetry_Proto_Trace_V1_Span.Link()
            otlp.traceID = bytes(link.traceID)
            otlp.spanID = bytes(link.spanID)
            otlp.attributes = link.attributes.map(keyValue)
            return otlp
        }
        return span
    }

    static func keyValue(_ attribute: Attribute) -> KeyValue {
        var keyValue = KeyValue()
        keyValue.key = attribute.key
        keyValue.value = anyValue(attribute.value)
        return keyValue
    }

    static func anyValue(_ value: AttributeValue) -> AnyValue {
        var any = AnyValue()
        switch value {
        case .string(let string): any.stringValue = string
        case .bool(let bool): any.boolValue = bool
        case .int(let int): any.intValue = int
        case .double(let double): any.doubleValue = double
        case .bytes(let bytes): any.bytesValue = Data(bytes)
        case .array(let values):
            var array = Opentelemetry_Proto_Common_V1_ArrayValue()
            array.values = values.map(anyValue)
            any.arrayValue = array
        case .keyValueList(let attributes):
            var list = Opentelemetry_Proto_Common_V1_KeyValueList()
            list.values = attributes.map(keyValue)
            any.kvlistValue = list
        case .null: break
        }
        return any
    }

    static func bytes(_ id: TraceID) -> Data {
        var data = Data(capacity: 16)
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: id.high >> shift)) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: id.low >> shift)) }
        return data
    }

    static func bytes(_ id: SpanID) -> Data {
        var data = Data(capacity: 8)
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: id.value >> shift)) }
        return data
    }

    // MARK: - Encodings

    /// Tempo's v1 answer: `tempopb.Trace`, which is `TracesData` on the wire (field 1, repeated `ResourceSpans`).
    package static func traceProtobuf(_ traces: [TraceView]) throws -> [UInt8] {
        var data = TracesData()
        for trace in traces { data.resourceSpans += tracesData(of: trace).resourceSpans }
        return try data.serializedBytes()
    }

    /// Tempo's v2 answer: `TraceByIDResponse { Trace trace = 1; … }`, the trace as field 1.
    package static func traceByIDResponseProtobuf(_ traces: [TraceView]) throws -> [UInt8] {
        let trace = try traceProtobuf(traces)
        var bytes: [UInt8] = [0x0A]
        var length = UInt64(trace.count)
        while length >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        bytes.append(UInt8(length))
        return bytes + trace
    }

    /// The resource spans of `traces` as an OTLP JSON array.
    package static func writeResourceSpans(_ traces: [TraceView], to writer: inout JSONWriter) {
        writer.array(traces.flatMap { tracesData(of: $0).resourceSpans }) { write($1, to: &$0) }
    }

    static func write(_ resourceSpans: Opentelemetry_Proto_Trace_V1_ResourceSpans, to writer: inout JSONWriter) {
        writer.raw("{\"resource\":{\"attributes\":")
        write(resourceSpans.resource.attributes, to: &writer)
        writer.raw("},\"scopeSpans\":")
        writer.array(resourceSpans.scopeSpans) { writer, scopeSpans in
            writer.raw("{\"scope\":{\"name\":")
            writer.string(scopeSpans.scope.name)
            writer.raw("},\"spans\":")
            writer.array(scopeSpans.spans) { write($1, to: &$0) }
            writer.raw("}")
        }
        writer.raw("}")
    }

    static func write(_ span: Span, to writer: inout JSONWriter) {
        writer.raw("{\"traceId\":")
        writer.string(hex(span.traceID))
        writer.raw(",\"spanId\":")
        writer.string(hex(span.spanID))
        if !span.parentSpanID.isEmpty {
            writer.raw(",\"parentSpanId\":")
            writer.string(hex(span.parentSpanID))
        }
        writer.raw(",\"name\":")
        writer.string(span.name)
        writer.raw(",\"kind\":\(span.kind.rawValue)")
        writer.raw(",\"startTimeUnixNano\":\"\(span.startTimeUnixNano)\"")
        writer.raw(",\"endTimeUnixNano\":\"\(span.endTimeUnixNano)\"")
        writer.raw(",\"attributes\":")
        write(span.attributes, to: &writer)
        writer.raw(",\"events\":")
        writer.array(span.events) { writer, event in
            writer.raw("{\"timeUnixNano\":\"\(event.timeUnixNano)\",\"name\":")
            writer.string(event.name)
            writer.raw(",\"attributes\":")
            write(event.attributes, to: &writer)
            writer.raw("}")
        }
        writer.raw(",\"links\":")
        writer.array(span.links) { writer, link in
            writer.raw("{\"traceId\":")
            writer.string(hex(link.traceID))
            writer.raw(",\"spanId\":")
            writer.string(hex(link.spanID))
            writer.raw(",\"attributes\":")
            write(link.attributes, to: &writer)
            writer.raw("}")
        }
        writer.raw(",\"status\":{\"code\":\(span.status.code.rawValue)")
        if !span.status.message.isEmpty {
            writer.raw(",\"message\":")
            writer.string(span.status.message)
        }
        writer.raw("}}")
    }

    static func write(_ attributes: [KeyValue], to writer: inout JSONWriter) {
        writer.array(attributes) { writer, attribute in
            writer.raw("{\"key\":")
            writer.string(attribute.key)
            writer.raw(",\"value\":")
            write(attribute.value, to: &writer)
            writer.raw("}")
        }
    }

    static func write(_ value: AnyValue, to writer: inout JSONWriter) {
        switch value.value {
        case .stringValue(let string):
            writer.raw("{\"stringValue\":")
            writer.string(string)
            writer.raw("}")
        case .boolValue(let bool): writer.raw("{\"boolValue\":\(bool)}")
        case .intValue(let int): writer.raw("{\"intValue\":\"\(int)\"}")
        case .doubleValue(let double):
            writer.raw("{\"doubleValue\":")
            writer.write(AttributeValue.double(double))
            writer.raw("}")
        case .bytesValue(let bytes):
            writer.raw("{\"bytesValue\":")
            writer.write(AttributeValue.bytes(Array(bytes)))
            writer.raw("}")
        case .arrayValue(let array):
            writer.raw("{\"arrayValue\":{\"values\":")
            writer.array(array.values) { write($1, to: &$0) }
            writer.raw("}}")
        case .kvlistValue(let list):
            writer.raw("{\"kvlistValue\":{\"values\":")
            write(list.values, to: &writer)
            writer.raw("}}")
        case nil: writer.raw("{}")
        }
    }

    static func hex(_ data: Data) -> String {
        HexDigits.string(bytes: data)
    }
}
