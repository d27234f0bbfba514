import TraceJoinCore

/// Tempo's search answers (`SearchResponse`, tags, tag values) as Grafana's Tempo data source decodes them; it
/// rejects unknown fields, so only Tempo's own are written.
/// — source: Tempo `pkg/tempopb/tempo.proto` (`SearchResponse`, `TraceSearchMetadata`, `SearchMetrics`,
///   `SearchTagsV2Response`, `SearchTagValuesV2Response`)
package enum TempoSearchEncoder {
    /// `{traces: [{traceID, rootServiceName, rootTraceName, startTimeUnixNano, durationMs}], metrics: {…}}`.
    static func write(_ traces: [TraceView], to writer: inout JSONWriter) {
        writer.raw("{\"traces\":")
        writer.array(traces) { writer, trace in
            let root = trace.rootSpan
            writer.raw("{\"traceID\":")
            writer.string(JaegerTraceEncoder.jaegerHex(trace.traceID))
            writer.raw(",\"rootServiceName\":")
            writer.string(root?.record.service ?? trace.summary.services.first ?? "")
            writer.raw(",\"rootTraceName\":")
            writer.string(root?.record.name ?? "")
            writer.raw(",\"startTimeUnixNano\":\"\(max(0, trace.summary.start))\"")
            writer.raw(",\"durationMs\":\(trace.summary.durationNanos / 1_000_000)}")
        }
        writer.raw(",\"metrics\":{\"inspectedTraces\":\(traces.count),\"completedJobs\":1,\"totalJobs\":1}}")
    }

    /// Tags a search can name: the TraceQL tracejoin reads (``TraceQLSubset``).
    static let resourceTags = ["service.name"]
    static let spanTags = ["tracejoin.error_class", "tracejoin.root_cause.service"]
    static let intrinsicTags = ["duration", "name", "status", "traceDuration"]

    static func writeTags(version: Int, to writer: inout JSONWriter) {
        guard version == 2 else {
            writer.raw("{\"tagNames\":")
            writer.write(strings: resourceTags + spanTags + intrinsicTags)
            writer.raw("}")
            return
        }
        writer.raw("{\"scopes\":")
        writer.array([("resource", resourceTags), ("span", spanTags), ("intrinsic", intrinsicTags)]) { writer, scope in
            writer.raw("{\"name\":")
            writer.string(scope.0)
            writer.raw(",\"tags\":")
            writer.write(strings: scope.1)
            writer.raw("}")
        }
        writer.raw("}")
    }

    /// The values a tag takes in the database: services, span names, statuses, error classes; none for others.
    static func values(of tag: String, in backend: any TraceQueryBackend) throws -> [String] {
        switch tag {
        case "resource.service.name", ".service.name", "service.name", "rootServiceName":
            return try backend.serviceNames()
        case "name", "rootName":
            return try backend.spanNames()
        case "status":
            return ["error", "ok"]
        case "span.tracejoin.error_class", ".tracejoin.error_class", "tracejoin.error_class":
            return try backend.errorClasses()
        default:
            return []
        }
    }

    static func write(values: [String], version: Int, to writer: inout JSONWriter) {
        writer.raw("{\"tagValues\":")
        guard version == 2 else {
            writer.write(strings: values)
            writer.raw("}")
            return
        }
        writer.array(values) { writer, value in
            writer.raw("{\"type\":\"string\",\"value\":")
            writer.string(value)
            writer.raw("}")
        }
        writer.raw("}")
    }
}
