import Foundation
import OTLPProto
import SwiftProtobuf
import TraceJoinCore
import TraceJoinTesting

/// Short names and builders for the generated OTLP messages, so tests read like the request they send.
enum OTLPProtoBuilders {
    typealias TraceRequest = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
    typealias LogsRequest = Opentelemetry_Proto_Collector_Logs_V1_ExportLogsServiceRequest
    typealias ProtoSpan = Opentelemetry_Proto_Trace_V1_Span
    typealias ProtoLogRecord = Opentelemetry_Proto_Logs_V1_LogRecord
    typealias AnyValue = Opentelemetry_Proto_Common_V1_AnyValue
    typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue

    static let traceHex = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let spanHex = "00f067aa0ba902b7"
    static let parentHex = "a3ce929d0e0e4736"

    static func keyValue(_ key: String, _ value: AnyValue.OneOf_Value?) -> KeyValue {
        var keyValue = KeyValue()
        keyValue.key = key
        var anyValue = AnyValue()
        anyValue.value = value
        keyValue.value = anyValue
        return keyValue
    }

    /// A server span with valid IDs; `configure` changes what a test is about.
    static func span(_ configure: (inout ProtoSpan) -> Void = { _ in }) -> ProtoSpan {
        var span = ProtoSpan()
        span.traceID = Data(hex: traceHex)
        span.spanID = Data(hex: spanHex)
        span.name = "GET /orders/:id"
        span.kind = .server
        span.startTimeUnixNano = 1_764_064_800_000_000_000
        span.endTimeUnixNano = 1_764_064_800_012_000_000
        configure(&span)
        return span
    }

    /// One resource (with `service.name` when given) and one scope holding `spans`.
    static func traceRequest(service: String?, scope: (String, String) = ("", ""), spans: [ProtoSpan]) -> TraceRequest {
        var scopeSpans = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        scopeSpans.scope.name = scope.0
        scopeSpans.scope.version = scope.1
        scopeSpans.spans = spans
        var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
        if let service { resourceSpans.resource.attributes = [keyValue("service.name", .stringValue(service))] }
        resourceSpans.scopeSpans = [scopeSpans]
        var request = TraceRequest()
        request.resourceSpans = [resourceSpans]
        return request
    }

    /// One resource and one scope holding `records`.
    static func logsRequest(service: String?, records: [ProtoLogRecord]) -> LogsRequest {
        var scopeLogs = Opentelemetry_Proto_Logs_V1_ScopeLogs()
        scopeLogs.logRecords = records
        var resourceLogs = Opentelemetry_Proto_Logs_V1_ResourceLogs()
        if let service { resourceLogs.resource.attributes = [keyValue("service.name", .stringValue(service))] }
        resourceLogs.scopeLogs = [scopeLogs]
        var request = LogsRequest()
        request.resourceLogs = [resourceLogs]
        return request
    }

    /// The message's wire bytes, as an OTLP/HTTP client sends them.
    static func body(_ message: some SwiftProtobuf.Message) throws -> [UInt8] {
        try message.serializedBytes()
    }
}
