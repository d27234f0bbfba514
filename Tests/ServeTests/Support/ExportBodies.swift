import Foundation
import OTLPProto
import SwiftProtobuf
import TraceJoinTesting

/// Request bodies as exporters send them.
enum ExportBodies {
    /// A protobuf `ExportTraceServiceRequest` with one span; the name tells bodies apart.
    static func traceProtobuf(spanName: String = "GET /checkout") throws -> [UInt8] {
        var span = Opentelemetry_Proto_Trace_V1_Span()
        span.traceID = Data((0..<16).map { UInt8($0 + 1) })
        span.spanID = Data((0..<8).map { UInt8($0 + 0x21) })
        span.name = spanName
        span.startTimeUnixNano = 1_700_000_000_000_000_000
        span.endTimeUnixNano = 1_700_000_000_250_000_000
        var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        scope.spans = [span]
        var resource = Opentelemetry_Proto_Trace_V1_ResourceSpans()
        resource.scopeSpans = [scope]
        var request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest()
        request.resourceSpans = [resource]
        return try request.serializedBytes()
    }

    /// The OTLP/JSON logs sample from the specification (`Fixtures/formats/spans/otlp/logs.json`).
    static func logsJSON() throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: FixturePaths.fixture("formats/spans/otlp/logs.json"))))
    }

    /// The OTLP/JSON trace sample (`Fixtures/formats/spans/otlp/trace.json`).
    static func traceJSON() throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: FixturePaths.fixture("formats/spans/otlp/trace.json"))))
    }
}
