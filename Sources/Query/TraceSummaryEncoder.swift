import TraceJoinCore

/// Jaeger api/v3's trace summaries, the search results of Jaeger UI 2.19 and later: one line per trace (root
/// service and operation, first start and last end, span and error counts, spans per service) instead of its spans.
///
/// `{"summaries": [{traceId, rootServiceName, rootOperationName, minStartTimeUnixNano, maxEndTimeUnixNano,
/// spanCount, errorSpanCount, orphanSpanCount, services: [{name, spanCount, errorSpanCount}]}]}`, with the proto3
/// JSON mapping of Jaeger's message: camel-case names, the 64-bit times as decimal strings, the trace ID as 32 hex
/// digits (as api/v3's OTLP traces write it).
/// — source: jaegertracing/jaeger ADR-010 "Trace Summary API" and `jaeger-idl` `api_v3/query_service.proto`
///   (`FindTraceSummariesResponse`, `TraceSummary`, `ServiceSummary`)
enum TraceSummaryEncoder {
    static func write(_ traces: [TraceView], to writer: inout JSONWriter) {
        writer.raw("{\"summaries\":")
        writer.array(traces) { writer, trace in write(trace, to: &writer) }
        writer.raw("}")
    }

    /// Counts a trace's spans as Jaeger does: a span is an error when its status is; services in name order.
    /// A trace without spans of its own (sampled out) is summarised from the synthetic spans it is served with
    /// (``TraceView/spans`` is never empty).
    private static func write(_ trace: TraceView, to writer: inout JSONWriter) {
        let root = trace.rootSpan
        var services: [String: (spans: Int, errors: Int)] = [:]
        var start = Int64.max
        var end = Int64.min
        for span in trace.spans {
            let isError = span.record.status == .error
            services[span.record.service, default: (0, 0)].spans += 1
            if isError { services[span.record.service, default: (0, 0)].errors += 1 }
            start = min(start, span.record.startTime)
            end = max(end, span.record.endTime)
        }
        writer.raw("{\"traceId\":")
        writer.string(trace.traceID.hex)
        writer.raw(",\"rootServiceName\":")
        writer.string(root?.record.service ?? "")
        writer.raw(",\"rootOperationName\":")
        writer.string(root?.record.name ?? "")
        writer.raw(",\"minStartTimeUnixNano\":\"\(max(0, start))\",\"maxEndTimeUnixNano\":\"\(max(0, end))\"")
        let errors = services.values.reduce(0) { $0 + $1.errors }
        let orphans = trace.spans.count { $0.isOrphan }
        writer.raw(",\"spanCount\":\(trace.spans.count),\"errorSpanCount\":\(errors),\"orphanSpanCount\":\(orphans)")
        writer.raw(",\"services\":")
        writer.array(services.sorted { $0.key < $1.key }) { writer, service in
            writer.raw("{\"name\":")
            writer.string(service.key)
            writer.raw(",\"spanCount\":\(service.value.spans),\"errorSpanCount\":\(service.value.errors)}")
        }
        writer.raw("}")
    }
}
