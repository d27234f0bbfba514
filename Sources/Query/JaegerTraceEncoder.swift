package import TraceJoinCore

/// A ``TraceView`` as a Jaeger UI trace: `{traceID, spans, processes, warnings}`, with each log of the trace as a
/// span log, so Jaeger UI and Grafana show the logs inside the spans they belong to.
/// — source: jaegertracing/jaeger `model/json/model.go` (`Trace`, `Span`, `Reference`, `Log`, `Process`)
package enum JaegerTraceEncoder {
    package static func write(_ trace: TraceView, to writer: inout JSONWriter) {
        let processes = Processes(trace.spans)
        writer.raw("{\"traceID\":")
        writer.string(jaegerHex(trace.traceID))
        writer.raw(",\"spans\":[")
        for (index, span) in trace.spans.enumerated() {
            if index > 0 { writer.raw(",") }
            write(span, of: trace, processID: processes.ids[index], to: &writer)
        }
        writer.raw("],\"processes\":{")
        for (index, process) in processes.unique.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.string("p\(index + 1)")
            writer.raw(":{\"serviceName\":")
            writer.string(process.service)
            writer.raw(",\"tags\":")
            JaegerTags.write(process.tags, to: &writer)
            writer.raw("}")
        }
        writer.raw("},\"warnings\":null}")
    }

    /// A trace ID as Jaeger prints it: 16 hex digits when the upper half is zero (64-bit IDs), else 32.
    package static func jaegerHex(_ id: TraceID) -> String {
        id.high == 0 ? HexDigits.string(id.low) : id.hex
    }

    private static func write(_ span: SpanView, of trace: TraceView, processID: String, to writer: inout JSONWriter) {
        let record = span.record
        writer.raw("{\"traceID\":")
        writer.string(jaegerHex(trace.traceID))
        writer.raw(",\"spanID\":")
        writer.string(span.spanID.hex)
        writer.raw(",\"operationName\":")
        writer.string(record.name)
        writer.raw(",\"references\":[")
        for (index, reference) in references(of: span, in: trace).enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"refType\":\"\(reference.type)\",\"traceID\":")
            writer.string(jaegerHex(reference.traceID))
            writer.raw(",\"spanID\":")
            writer.string(reference.spanID.hex)
            writer.raw("}")
        }
        writer.raw("],\"startTime\":\(microseconds(record.startTime)),\"duration\":")
        writer.raw(String(record.durationNanos / 1_000))
        writer.raw(",\"tags\":")
        JaegerTags.write(tags(of: span, in: trace), to: &writer)
        writer.raw(",\"logs\":[")
        for (index, log) in logs(of: span).enumerated() {
            if index > 0 { writer.raw(",") }
            writer.raw("{\"timestamp\":\(microseconds(log.time)),\"fields\":")
            JaegerTags.write(log.fields, to: &writer)
            writer.raw("}")
        }
        writer.raw("],\"processID\":")
        writer.string(processID)
        writer.raw(",\"warnings\":null}")
    }

    /// The parent as `CHILD_OF`, then the stored links: Jaeger's own references as they came, OTLP links as
    /// `FOLLOWS_FROM` (as Jaeger's OTLP translator writes them).
    private static func references(of span: SpanView, in trace: TraceView) -> [(
        type: String, traceID: TraceID, spanID: SpanID
    )] {
        var references = span.parentSpanID.map { [("CHILD_OF", trace.traceID, $0)] } ?? []
        for link in span.record.links {
            references.append((link.kind == "child_of" ? "CHILD_OF" : "FOLLOWS_FROM", link.traceID, link.spanID))
        }
        return references
    }

    static func microseconds(_ nanoseconds: Int64) -> Int64 { nanoseconds / 1_000 }
}

/// The distinct processes (service and resource) of a trace's spans, `p1`, `p2`, … in order of first use: Jaeger's
/// processes, OTLP's resources.
struct Processes {
    struct Process: Hashable {
        var service: String
        var tags: [Attribute]
    }

    private(set) var unique: [Process] = []
    /// The process ID of each span.
    private(set) var ids: [String] = []
    /// The index in `unique` of each span's process.
    private(set) var indexes: [Int] = []

    init(_ spans: [SpanView]) {
        var numbers: [Process: Int] = [:]
        for span in spans {
            let process = Process(
                service: span.record.service, tags: span.record.resource.filter { $0.key != "service.name" })
            let number =
                numbers[process]
                ?? {
                    unique.append(process)
                    numbers[process] = unique.count
                    return unique.count
                }()
            ids.append("p\(number)")
            indexes.append(number - 1)
        }
    }
}
