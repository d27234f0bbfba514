package import TraceJoinCore

/// Which span-export decoder a parsed JSON document needs.
package enum SpanDocumentKind: String, Hashable, Sendable, CaseIterable {
    /// `TracesData`/`LogsData`/`Export…ServiceRequest` (`resourceSpans`, `resourceLogs`),
    /// also inside `{"result": …}`; or one bare `ResourceSpans`/`ResourceLogs` (`scopeSpans`, `scopeLogs`),
    /// which the Java SDK's `logging-otlp` exporters write per line.
    case otlp
    /// `{"data": [traces]}`, one trace `{traceID, spans, processes}`, or an array of spans with `traceID` + `spanID`.
    case jaeger
    /// An array of Zipkin v2 spans with `traceId` + `id`.
    case zipkin

    /// The kind of a parsed document, decided by its content; nil when it is not a span export
    /// (a JSON log record, for instance).
    ///
    /// Arrays are judged by their first element. An empty array is taken as an (empty) Zipkin
    /// export, which decodes to nothing either way.
    package static func classify(document: JSONValue) -> SpanDocumentKind? {
        switch document {
        case .object(let object):
            return classify(object: object, depth: 0)
        case .array(let elements):
            guard let first = elements.first else { return .zipkin }
            guard case .object(let object) = first else { return nil }
            if hasOTLPKey(object) { return .otlp }
            if object["spanID"] != nil && object["traceID"] != nil { return .jaeger }
            if object["id"] != nil && object["traceId"] != nil { return .zipkin }
            return nil
        default:
            return nil
        }
    }

    private static func classify(object: JSONObject, depth: Int) -> SpanDocumentKind? {
        if hasOTLPKey(object) { return .otlp }
        if depth == 0, case .object(let inner)? = object["result"], classify(object: inner, depth: 1) == .otlp {
            return .otlp
        }
        guard depth == 0 else { return nil }
        if let data = object["data"] {
            switch data {
            case .array(let traces):
                if traces.isEmpty { return .jaeger }
                if case .object(let trace) = traces[0], trace["spans"] != nil { return .jaeger }
                return nil
            case .null:
                // Jaeger's query API answers an unknown trace with `{"data": null, "errors": […]}`.
                return object["errors"] != nil ? .jaeger : nil
            default:
                return nil
            }
        }
        if object["spans"]?.array != nil, object["traceID"] != nil || object["processes"] != nil { return .jaeger }
        return nil
    }

    /// The members that make an object one bare `ResourceSpans` / `ResourceLogs`.
    static let bareResourceSpansKeys: Set<String> = ["scopeSpans", "scope_spans"]
    static let bareResourceLogsKeys: Set<String> = ["scopeLogs", "scope_logs"]

    private static func hasOTLPKey(_ object: JSONObject) -> Bool {
        for member in object.members {
            switch member.key {
            case "resourceSpans", "resource_spans", "resourceLogs", "resource_logs": return true
            case _ where bareResourceSpansKeys.contains(member.key) || bareResourceLogsKeys.contains(member.key):
                return true
            default: continue
            }
        }
        return false
    }
}
